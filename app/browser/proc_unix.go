//go:build unix

package browser

import (
	"os"
	"os/exec"
	"syscall"
)

// isolate starts the browser in a process group of its own, led by itself,
// so its helper processes can be killed with it.
func isolate(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup kills the browser and whatever it started, without waiting.
func killGroup(p *os.Process) {
	_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
	_ = p.Kill() // in case the group is gone but the leader not yet reaped
}
