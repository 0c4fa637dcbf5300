//go:build !linux

package browser

import "os"

// waitExited reports that it cannot wait for p without reaping it here.
func waitExited(*os.Process) bool { return false }
