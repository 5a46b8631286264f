package service

import (
	"encoding/json"
	"math"
	"testing"
)

func TestNumberMarshalsEveryFloat(t *testing.T) {
	for _, tt := range []struct {
		in   float64
		want string
	}{{0.25, `0.25`}, {-2, `-2`}, {1e300, `1e+300`}, {math.NaN(), `"NaN"`}, {math.Inf(1), `"+Inf"`}, {math.Inf(-1), `"-Inf"`}} {
		got, err := json.Marshal(LastMetric{Name: "loss", Value: Number(tt.in)})
		if err != nil {
			t.Errorf("%v: %v", tt.in, err)
			continue
		}
		if want := `{"name":"loss","step":0,"value":` + tt.want + `,"values":0}`; string(got) != want {
			t.Errorf("%v: %s, want %s", tt.in, got, want)
		}
	}
}
