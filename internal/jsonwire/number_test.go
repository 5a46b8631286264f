package jsonwire

import (
	"encoding/json"
	"math"
	"strconv"
	"testing"
)

// TestValidNumber checks the grammar against encoding/json's own.
func TestValidNumber(t *testing.T) {
	for _, s := range []string{"0", "-0", "1", "-12", "0.5", "1e5", "1E+5", "1e-05", "-0.0e+10", "123456789012345678901234567890",
		"", "-", "01", "1.", ".5", "1e", "1e+", "+1", "0x10", "1.5.5", " 1", "1 ", "NaN", "Infinity", "--1"} {
		want := json.Valid([]byte(s)) && s != "" && s[0] != ' ' && s[len(s)-1] != ' '
		if _, err := strconv.ParseFloat(s, 64); err != nil && want {
			want = false
		}
		if got := ValidNumber(s); got != want {
			t.Errorf("ValidNumber(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestAppendFloat checks the shortest form with a point or exponent, and
// that it reads back as the same float.
func TestAppendFloat(t *testing.T) {
	tests := []struct {
		f    float64
		bits int
		want string
	}{
		{0.5, 64, "0.5"}, {784, 64, "784.0"}, {0, 64, "0.0"}, {math.Copysign(0, -1), 64, "-0.0"}, {1e-7, 64, "1e-07"},
		{1.5e300, 64, "1.5e+300"}, {1e20, 64, "100000000000000000000.0"}, {1e21, 64, "1e+21"},
		{float64(float32(0.1)), 32, "0.1"}, {float64(float32(0.1)), 64, "0.10000000149011612"},
	}
	for _, tt := range tests {
		got := string(AppendFloat(nil, tt.f, tt.bits))
		if got != tt.want {
			t.Errorf("AppendFloat(%v, %d) = %s, want %s", tt.f, tt.bits, got, tt.want)
		}
		back, err := strconv.ParseFloat(got, tt.bits)
		if err != nil || back != tt.f && float32(back) != float32(tt.f) {
			t.Errorf("%s reads back as %v (%v), want %v", got, back, err, tt.f)
		}
	}
}
