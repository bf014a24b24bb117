//go:build !unix

package perf

import "time"

// CPUTime is unknown off unix: stages report 0 CPU.
func CPUTime() time.Duration { return 0 }

// PeakRSS is unknown off unix.
func PeakRSS() int64 { return 0 }
