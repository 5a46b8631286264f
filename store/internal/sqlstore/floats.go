package sqlstore

import (
	"fmt"
	"math"
)

// encodeFloat returns f as a JSON-encodable value: itself, or "NaN", "+Inf",
// "-Inf".
func encodeFloat(f float64) any {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return f
}

// decodeFloat reverses encodeFloat.
func decodeFloat(v any) (float64, error) {
	switch v := v.(type) {
	case float64:
		return v, nil
	case string:
		switch v {
		case "NaN":
			return math.NaN(), nil
		case "+Inf":
			return math.Inf(1), nil
		case "-Inf":
			return math.Inf(-1), nil
		}
	}
	return 0, fmt.Errorf("%v is not a number", v)
}

// sqlFloat returns the value stored for a metric: SQLite cannot store NaN
// (it becomes NULL), so NULL means NaN in both backends.
func sqlFloat(f float64) any {
	if math.IsNaN(f) {
		return nil
	}
	return f
}
