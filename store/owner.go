package store

import (
	"os"
	"sync"
)

// ThisProcess returns the owner StartRun records for a run it starts with
// no Owner: this machine's host name and this process's ID.
func ThisProcess() RunOwner {
	return RunOwner{Host: hostname(), PID: os.Getpid()}
}

// hostname is os.Hostname, looked up once; "unknown" if it fails.
var hostname = sync.OnceValue(func() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "unknown"
	}
	return h
})
