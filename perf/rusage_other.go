//go:build !unix

package perf

import "time"

// cpuTime is unknown off unix: stages report 0 CPU.
func cpuTime() time.Duration { return 0 }

// peakRSS is unknown off unix.
func peakRSS() int64 { return 0 }
