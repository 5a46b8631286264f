package store

import "errors"

// ErrRunActive is matched by DeleteRun's error for a run that is queued or
// running: a run is deleted once it has finished (or is lost), so that no
// worker writes to a run that is gone. Cancel it first.
var ErrRunActive = errors.New("run is active")
