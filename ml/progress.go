package ml

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
)

// Progress chooses how a Trainer reports progress.
type Progress int

const (
	// ProgressAuto draws a bar when the output is a terminal, and prints
	// plain lines otherwise.
	ProgressAuto Progress = iota
	// ProgressBar redraws one line in place.
	ProgressBar
	// ProgressLines prints a line about every tenth of the run.
	ProgressLines
	// ProgressOff prints nothing while training.
	ProgressOff
)

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// progressReporter draws the progress of a training run.
type progressReporter struct {
	w     io.Writer
	mode  Progress
	total int
	start time.Time
	last  time.Time // last redraw of the bar
	every int       // steps between lines
}

// newProgress starts reporting a run of total steps to w.
func newProgress(w io.Writer, mode Progress, total int) *progressReporter {
	if w == nil {
		mode = ProgressOff
	}
	if mode == ProgressAuto {
		mode = ProgressLines
		if isTerminal(w) {
			mode = ProgressBar
		}
	}
	return &progressReporter{w: w, mode: mode, total: total, start: time.Now(), every: max(1, total/10)}
}

// step reports that step (1-based) finished with the given moving average
// of the batch loss, shown as train_loss_avg (MetricTrainLossAvg).
func (p *progressReporter) step(step int, loss float64) {
	now := time.Now()
	elapsed := now.Sub(p.start)
	perStep := elapsed / time.Duration(step)
	switch p.mode {
	case ProgressBar:
		if step != p.total && now.Sub(p.last) < 100*time.Millisecond {
			return
		}
		p.last = now
		const width = 30
		done := width * step / p.total
		bar := strings.Repeat("=", done)
		if done < width {
			bar += ">" + strings.Repeat(" ", width-done-1)
		}
		eta := perStep * time.Duration(p.total-step)
		fmt.Fprintf(p.w, "\r%*d/%d [%s] %3d%%  train_loss_avg %.4f  %s/step  ETA %s\x1b[K",
			len(fmt.Sprint(p.total)), step, p.total, bar, 100*step/p.total, loss, roundDuration(perStep), roundDuration(eta))
	case ProgressLines:
		if step%p.every != 0 && step != p.total {
			return
		}
		fmt.Fprintf(p.w, "step %d/%d (%d%%)  train_loss_avg %.4f  %s/step  elapsed %s\n",
			step, p.total, 100*step/p.total, loss, roundDuration(perStep), roundDuration(elapsed))
	}
}

// finish ends the report: the bar's line is closed.
func (p *progressReporter) finish() {
	if p.mode == ProgressBar {
		fmt.Fprintln(p.w)
	}
}

// roundDuration rounds d for display: 18.2ms, 12.3s, 2m5s.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond)
	case d < time.Second:
		return d.Round(100 * time.Microsecond)
	case d < time.Minute:
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}
