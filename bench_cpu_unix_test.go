//go:build unix

package mlregistry_test

import "syscall"

// processCPU is the CPU time the process has used, user and system, in
// nanoseconds; 0 where it cannot be read.
func processCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
