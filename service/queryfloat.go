package service

import (
	"fmt"
	"math"
	"strconv"
)

// ParseBound reads an optional number bound of a range from a query
// parameter named name: nil for "", else the finite number it spells.
func ParseBound(name, v string) (*float64, error) {
	if v == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) {
		return nil, as(ErrInvalid, fmt.Errorf("%s %q: expected a number, such as 0.9 or 1e-3", name, v))
	}
	return &f, nil
}
