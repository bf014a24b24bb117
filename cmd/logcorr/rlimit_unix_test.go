//go:build unix

package main

import "syscall"

// setFileSizeLimit stops the process's files from growing past n bytes;
// Go ignores SIGXFSZ, so a write past it fails with EFBIG.
func setFileSizeLimit(n uint64) error {
	return syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n})
}
