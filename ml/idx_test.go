package ml

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
	"testing"
)

// idxBytes builds an IDX file of unsigned bytes.
func idxBytes(dims []int, data []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, idxUnsignedByte, byte(len(dims))})
	for _, d := range dims {
		b.Write([]byte{byte(d >> 24), byte(d >> 16), byte(d >> 8), byte(d)})
	}
	b.Write(data)
	return b.Bytes()
}

func gzipBytes(data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = zw.Write(data)
	_ = zw.Close()
	return b.Bytes()
}

func TestReadIDX(t *testing.T) {
	plain := idxBytes([]int{2, 3}, []byte{1, 2, 3, 4, 5, 6})
	tests := []struct {
		name    string
		in      []byte
		dims    []int
		wantErr string
	}{
		{"plain", plain, []int{2, 3}, ""},
		{"gzipped", gzipBytes(plain), []int{2, 3}, ""},
		{"empty", nil, nil, "unexpected EOF"},
		{"bad magic", []byte{1, 2, 3, 4}, nil, "not an IDX file"},
		{"float type", []byte{0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0}, nil, "not supported"},
		{"no dimensions", []byte{0, 0, 8, 0}, nil, "no dimensions"},
		{"truncated values", plain[:len(plain)-1], nil, "unexpected EOF"},
		{"truncated dimensions", plain[:6], nil, "unexpected EOF"},
		{"huge", idxBytes([]int{1 << 20, 1 << 20}, nil), nil, "too large"},
		{"corrupt gzip", gzipBytes(plain)[:12], nil, "EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dims, data, err := readIDX(bytes.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("readIDX: err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(dims) != 2 || dims[0] != 2 || dims[1] != 3 || !bytes.Equal(data, []byte{1, 2, 3, 4, 5, 6}) {
				t.Fatalf("readIDX = %v %v", dims, data)
			}
		})
	}
}

func TestNoEOF(t *testing.T) {
	if !errors.Is(noEOF(io.EOF), io.ErrUnexpectedEOF) {
		t.Fatal("noEOF(io.EOF) is not io.ErrUnexpectedEOF")
	}
}
