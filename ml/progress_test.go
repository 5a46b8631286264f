package ml

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	tests := []struct {
		mode  Progress
		lines int    // "\n"-terminated lines
		bar   bool   // redrawn with "\r"
		last  string // what the output ends with
	}{
		{ProgressLines, 10, false, "step 20/20 (100%)  train_loss_avg 0.5000"},
		{ProgressAuto, 10, false, "step 20/20 (100%)  train_loss_avg 0.5000"}, // a buffer is no terminal
		{ProgressBar, 1, true, "20/20 [==============================] 100%  train_loss_avg 0.5000"},
		{ProgressOff, 0, false, ""},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		p := newProgress(&out, tt.mode, 20)
		p.last = time.Time{}
		for step := 1; step <= 20; step++ {
			p.step(step, 0.5)
		}
		p.finish()
		s := out.String()
		if n := strings.Count(s, "\n"); n != tt.lines {
			t.Errorf("mode %d: %d lines, want %d:\n%q", tt.mode, n, tt.lines, s)
		}
		if strings.Contains(s, "\r") != tt.bar {
			t.Errorf("mode %d: bar redraws %v, want %v", tt.mode, !tt.bar, tt.bar)
		}
		if !strings.Contains(s, tt.last) {
			t.Errorf("mode %d: output lacks %q:\n%q", tt.mode, tt.last, s)
		}
	}
	if newProgress(nil, ProgressBar, 5).mode != ProgressOff {
		t.Error("a nil writer does not turn progress off")
	}
}

func TestRoundDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		1234567 * time.Nanosecond: "1.2ms",
		12345 * time.Millisecond:  "12.3s",
		125 * time.Second:         "2m5s",
		1500 * time.Nanosecond:    "2µs",
	} {
		if got := roundDuration(d).String(); got != want {
			t.Errorf("roundDuration(%v) = %s, want %s", d, got, want)
		}
	}
}
