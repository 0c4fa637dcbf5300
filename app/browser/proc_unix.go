//go:build unix

package browser

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
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

// killStrays kills the processes a browser started that left its process
// group: they still carry its TMPDIR, tmp, in their environment. It reads
// /proc, so does nothing where there is none. It looks again until it finds
// none: one may have started another just before it was killed.
func killStrays(tmp string) {
	marker := []byte("\x00TMPDIR=" + tmp + "\x00")
	for range 50 {
		if killMarked(marker) == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// killMarked kills every process whose environment holds marker and says
// how many it found. A process that is exiting has no environment left.
func killMarked(marker []byte) int {
	entries, _ := os.ReadDir("/proc")
	n := 0
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		env, err := os.ReadFile("/proc/" + e.Name() + "/environ")
		if err == nil && bytes.Contains(append([]byte{0}, env...), marker) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			n++
		}
	}
	return n
}
