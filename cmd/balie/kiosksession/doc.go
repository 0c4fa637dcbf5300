// Package kiosksession holds the locked-down sessions of a kiosk PC, in
// which balie is the only program on the screen and comes back when it
// crashes, for the city's IT department to install, and the tests that
// check them. cmd/DEPLOYMENT.md says how to install them.
//
// Linux, either of two sessions, installed by install-kiosk-session.sh:
//
//   - X11 (the default): the getty on tty1 logs the user balie in by
//     itself (getty-autologin.conf, balie-getty); its ~/.profile
//     (kiosk-profile) runs startx with balie-session as the whole session:
//     screen blanking off, matchbox-window-manager without title bars or
//     keyboard shortcuts (matchbox-kbdconfig), so that a video call's
//     browser window can go full screen, and balie-run. The X server may
//     not switch to a text console (50-balie-kiosk.conf).
//   - cage (--cage): balie-cage.service runs the Wayland kiosk compositor
//     cage on tty1 as balie, in a login session of its own
//     (balie-cage.pam), with balie-run inside.
//
// balie-run follows the rule of the supervisors in cmd/balie/supervise/:
// exit code 0 is staff leaving with Ctrl+Alt+Q and ends the loop; any other
// end is a crash and balie starts again after 2 seconds; more than 10
// starts within 5 minutes is a crash loop and ends it too. When the loop
// ends the session ends, and tty1 shows a login prompt for an administrator
// until the PC restarts (X11: balie-session writes /run/balie-kiosk/stopped,
// created by balie-kiosk-tmpfiles.conf, and balie-getty reads it; cage:
// the unit's OnSuccess= starts the getty).
//
// Windows: windows/shell-launcher.xml makes balie.exe the shell of the
// local account "kiosk" with Shell Launcher v2 (Assigned Access's
// single-app kiosk takes only UWP apps and Edge): exit code 0 does
// nothing, any other restarts it. windows/Install-BalieShellLauncher.ps1
// applies it through the WESL_UserSetting WMI class or the MDM bridge.
//
// The files are not Go; this package holds no code, only the tests. The
// X11 session's tests run it under Xvfb with a stand-in balie, and are
// skipped where Xvfb is missing; cage runs on wlroots' headless backend.
// The PowerShell script cannot run here: its test checks what it reads
// from the XML.
package kiosksession
