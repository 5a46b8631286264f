package service

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unsafe"
)

// TensorData is an input tensor's data: numbers, row-major, in a flat list
// or in nested lists of any depth. It decodes straight into float32s,
// without the boxed values of a decoding into any: a batch of 64 MNIST rows
// is 50,176 numbers.
type TensorData []float32

// UnmarshalJSON reads numbers in flat or nested lists; anything else
// (a string, an object, true, null) is an error naming its place,
// data[3][5].
func (t *TensorData) UnmarshalJSON(b []byte) error {
	out := (*t)[:0]
	var idx []int // the index in each open list
	path := func() string {
		var sb strings.Builder
		sb.WriteString("data")
		for _, i := range idx {
			fmt.Fprintf(&sb, "[%d]", i)
		}
		return sb.String()
	}
	for i := 0; i < len(b); {
		switch c := b[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '[':
			idx = append(idx, 0)
			i++
		case c == ']':
			if len(idx) == 0 {
				return errors.New("data: unbalanced ]")
			}
			idx = idx[:len(idx)-1]
			i++
		case c == ',':
			if len(idx) == 0 {
				return errors.New("data: expected numbers, in flat or nested lists")
			}
			idx[len(idx)-1]++
			i++
		case c == '-' || '0' <= c && c <= '9':
			j := i + 1
			for j < len(b) && (b[j] == '.' || b[j] == 'e' || b[j] == 'E' || b[j] == '+' || b[j] == '-' || '0' <= b[j] && b[j] <= '9') {
				j++
			}
			// The number's bytes, read in place: ParseFloat keeps no
			// reference to them but in its error, which b outlives.
			f, err := strconv.ParseFloat(unsafe.String(&b[i], j-i), 32)
			if err != nil || math.IsInf(f, 0) {
				return fmt.Errorf("%s: %s is not an FP32 number", path(), b[i:j])
			}
			out = append(out, float32(f))
			i = j
		default:
			what := "a string"
			switch c {
			case '{':
				what = "an object"
			case 't', 'f':
				what = "a boolean"
			case 'n':
				what = "null"
			}
			return fmt.Errorf("%s: %s: expected numbers, in flat or nested lists", path(), what)
		}
	}
	*t = out
	return nil
}
