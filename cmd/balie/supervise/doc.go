// Package supervise holds what restarts the kiosk when its process dies,
// for the city's IT department to install, and the tests that check it:
//
//   - balie.service: a systemd user unit for the kiosk user's graphical
//     session (Linux);
//   - balie-task.xml: a Task Scheduler task that starts balie-loop.cmd at
//     the kiosk user's logon (Windows);
//   - balie-loop.cmd: the Windows wrapper that starts balie.exe again two
//     seconds after any exit but a clean one.
//
// Both platforms follow one rule. Exit code 0 is staff leaving the kiosk
// with Ctrl+Alt+Q (or a window manager closing its window): it stays down.
// Anything else is a crash: a Go panic exits with 2, a start-up error
// (configuration, data file) with 1, a signal or a crash in C code with
// something else again. It is restarted after 2 seconds, unless it was
// started more than 10 times within 5 minutes: then it is a crash loop,
// and it stays down so that staff see the desktop and the logs.
//
// The files are not Go; this package holds no code, only the tests. See
// "Restarting after a crash" in the README.
package supervise
