package ml

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// The IDX format (LeCun et al., the MNIST files): a 4-byte magic number —
// two zero bytes, a type code, the number of dimensions — then each
// dimension as a big-endian uint32, then the values in row-major order.
// Only unsigned bytes (type code 0x08) are read here, which is what MNIST
// holds.
const (
	idxUnsignedByte = 0x08
	idxMaxValues    = 1 << 30 // refuse absurd headers rather than allocate them
)

// readIDXFile reads an IDX file of unsigned bytes, gzipped or not (told
// apart by gzip's magic bytes, not by the name), and returns its
// dimensions and values.
func readIDXFile(name string) (dims []int, data []byte, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	dims, data, err = readIDX(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	return dims, data, nil
}

// readIDX reads IDX data, gzipped or not, from r.
func readIDX(r io.Reader) (dims []int, data []byte, err error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	var header [4]byte
	if _, err := io.ReadFull(br, header[:]); err != nil {
		return nil, nil, fmt.Errorf("reading IDX header: %w", noEOF(err))
	}
	if header[0] != 0 || header[1] != 0 {
		return nil, nil, fmt.Errorf("not an IDX file (magic %x)", header)
	}
	if header[2] != idxUnsignedByte {
		return nil, nil, fmt.Errorf("IDX type code 0x%02x is not supported (only unsigned bytes, 0x08)", header[2])
	}
	n := int(header[3])
	if n == 0 {
		return nil, nil, errors.New("IDX file with no dimensions")
	}
	dims = make([]int, n)
	total := 1
	for i := range dims {
		var d uint32
		if err := binary.Read(br, binary.BigEndian, &d); err != nil {
			return nil, nil, fmt.Errorf("reading IDX dimension %d: %w", i, noEOF(err))
		}
		dims[i] = int(d)
		total *= int(d)
		if total > idxMaxValues {
			return nil, nil, fmt.Errorf("IDX dimensions %v are too large", dims[:i+1])
		}
	}
	data = make([]byte, total)
	if _, err := io.ReadFull(br, data); err != nil {
		return nil, nil, fmt.Errorf("reading %d IDX values: %w", total, noEOF(err))
	}
	return dims, data, nil
}

// noEOF turns a premature end of file into io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
