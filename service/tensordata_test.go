package service

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestTensorData(t *testing.T) {
	for _, c := range []struct {
		in      string
		want    []float32
		wantErr string
	}{
		{`[1, 2.5, -3e2]`, []float32{1, 2.5, -300}, ""},
		{`[[1, 2], [3, 4]]`, []float32{1, 2, 3, 4}, ""},
		{` [ [ [0.5] ] , [ [ -0 ] ] ] `, []float32{0.5, 0}, ""},
		{`[]`, []float32{}, ""},
		{`[1, "2"]`, nil, `data[1]: a string`},
		{`[[1], [2, {"a": 1}]]`, nil, `data[1][1]: an object`},
		{`[true]`, nil, `data[0]: a boolean`},
		{`[null]`, nil, `data[0]: null`},
		{`[1e39]`, nil, `data[0]: 1e39 is not an FP32 number`},
		{`3`, []float32{3}, ""},
	} {
		t.Run(c.in, func(t *testing.T) {
			var d TensorData
			err := json.Unmarshal([]byte(c.in), &d)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal([]float32(d), c.want) {
				t.Errorf("decoded %v (%v), want %v", d, err, c.want)
			}
		})
	}
}
