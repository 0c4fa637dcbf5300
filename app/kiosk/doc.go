// Package kiosk draws the balie screens with Fyne.
//
// Each step of the flow is a screen type of its own (screen_*.go), built by
// the navigator (navigator.go) when the visitor arrives on it. A screen
// builds what it shows from the session, the visitor's model, and returns
// its main action apart, for the action bar that never scrolls
// (frame.go). Adding a screen is one file with its type, its messages, and
// one line in the navigator.
//
// Slow work (Backend calls, a call window) goes through fetch and watch: it
// runs off the UI thread and its result is applied on it, only while the
// visitor who started it is still there. Only the UI thread touches widgets
// and screen state. The package may import Fyne, the domain, the session
// model, i18n and qr; never net/http.
package kiosk
