//go:build !unix

package correlate

func cpuNanos() int64 { return 0 }
