package ml

import (
	"errors"
	"fmt"
)

// catch runs fn and turns a panic — GoMLX reports graph-building errors by
// panicking — into an error.
func catch(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			switch e := r.(type) {
			case error:
				err = e
			default:
				err = errors.New(fmt.Sprint(e))
			}
		}
	}()
	return fn()
}
