//go:build !unix

package browser

import (
	"os"
	"os/exec"
)

// isolate leaves the browser as it is: Chrome, Edge and Firefox on Windows
// end their helper processes when the main one goes.
func isolate(*exec.Cmd) {}

func killGroup(p *os.Process) { _ = p.Kill() }

// killStrays does nothing: see isolate.
func killStrays(string) {}
