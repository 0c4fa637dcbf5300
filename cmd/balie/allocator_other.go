//go:build !linux

package main

// useJemalloc does nothing outside Linux: Windows' heap is another
// allocator, not measured yet.
func useJemalloc() string { return "" }
