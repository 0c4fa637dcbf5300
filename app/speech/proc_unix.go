//go:build unix

package speech

import (
	"os"
	"os/exec"
	"syscall"
)

// isolate puts the program in a process group of its own, led by itself.
func isolate(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup kills the program and whatever it started, without waiting.
func killGroup(p *os.Process) {
	_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
	_ = p.Kill() // in case the group is gone but the leader not yet reaped
}
