package main

import (
	"errors"
	"testing"
	"time"
)

func TestLostAfterEnv(t *testing.T) {
	tests := []struct {
		value   string
		want    time.Duration
		wantErr bool
	}{
		{"", 0, false},
		{"30s", 30 * time.Second, false},
		{"1500ms", 1500 * time.Millisecond, false},
		{"10ms", 0, true},
		{"-1s", 0, true},
		{"soon", 0, true},
	}
	for _, tt := range tests {
		t.Setenv(lostAfterEnv, tt.value)
		got, err := lostAfter()
		if got != tt.want || (err != nil) != tt.wantErr || err != nil && !errors.Is(err, errUsage) {
			t.Errorf("$%s=%q: %v, %v; want %v, error %v (a usage error)", lostAfterEnv, tt.value, got, err, tt.want, tt.wantErr)
		}
	}
}
