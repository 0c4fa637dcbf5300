package speech

import (
	"os"
	"os/exec"
	"syscall"
)

// createNoWindow keeps a console window from flashing over the kiosk.
const createNoWindow = 0x08000000

func isolate(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: createNoWindow}
}

// killGroup kills PowerShell, which speaks in its own process: SAPI starts
// no other.
func killGroup(p *os.Process) {
	_ = p.Kill()
}
