package browser

import (
	"os"
	"syscall"
	"unsafe"
)

// waitExited blocks until p has exited, without reaping it, and reports
// whether it could: while p is an unreaped zombie its pid, and so its
// process group id, cannot be given to another process, and killGroup
// reaches exactly the helpers it left behind.
func waitExited(p *os.Process) bool {
	const pPID = 1 // P_PID in <sys/wait.h>
	// waitid fills a siginfo_t, 128 bytes on every Linux; its content is
	// not needed.
	var info [16]uint64
	for {
		_, _, errno := syscall.Syscall6(syscall.SYS_WAITID, pPID, uintptr(p.Pid),
			uintptr(unsafe.Pointer(&info[0])), syscall.WEXITED|syscall.WNOWAIT, 0, 0)
		switch errno {
		case 0:
			return true
		case syscall.EINTR:
			continue
		default:
			return false
		}
	}
}
