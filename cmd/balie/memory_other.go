//go:build !linux || !cgo

package main

// trimCHeap does nothing where the C heap is not glibc's.
func trimCHeap() {}

// cHeapMB is unknown where the C heap is not glibc's.
func cHeapMB() (inUse, free float64) { return -1, -1 }
