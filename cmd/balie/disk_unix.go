//go:build linux || darwin

package main

import "syscall"

// freeDisk is the space free for the kiosk's user where it keeps its
// state; 0 when unknown.
func freeDisk(path string) uint64 {
	var st syscall.Statfs_t
	if syscall.Statfs(path, &st) != nil {
		return 0
	}
	return st.Bavail * uint64(st.Bsize)
}
