package main

import "runtime/debug"

// releaseMemory hands memory the kiosk no longer uses back to the system:
// the Go heap's free pages, and the C heap's (GL and font buffers that
// Fyne's drivers freed), which glibc otherwise keeps for itself. A public
// PC runs the kiosk for weeks, so its footprint must not ratchet up.
func releaseMemory() {
	debug.FreeOSMemory()
	trimCHeap()
}
