//go:build linux && cgo

package main

// #include <malloc.h>
import "C"

// trimCHeap returns glibc's free heap pages to the system.
func trimCHeap() { C.malloc_trim(0) }

// cHeapMB is glibc's own account of the C heap (GL, fonts, X): what its
// callers hold, and what it holds free but has not returned. The first
// growing is a leak in C code; the second is fragmentation.
func cHeapMB() (inUse, free float64) {
	m := C.mallinfo2()
	return float64(m.uordblks+m.hblkhd) / (1 << 20), float64(m.fordblks) / (1 << 20)
}
