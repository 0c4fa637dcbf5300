package main

import "golang.org/x/sys/windows"

// freeDisk is the space free for the kiosk's user where it keeps its
// state; 0 when unknown.
func freeDisk(path string) uint64 {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return 0
	}
	var free, total, totalFree uint64
	if windows.GetDiskFreeSpaceEx(p, &free, &total, &totalFree) != nil {
		return 0
	}
	return free
}
