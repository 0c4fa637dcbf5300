// Package staffmode is the kiosk's staff mode: the hidden way in (a long
// press on the logo, then a PIN) and the staff panel with the help calls,
// the kiosk's settings and its health. Staff read Dutch, so it is in Dutch
// only, and it is built for touch: everything tappable is at least
// touchHeight high.
//
// Widgets are touched on Fyne's UI thread only. Slow work (a gateway call,
// an argon2 check) runs in a goroutine and hands its result back with
// fyne.Do.
package staffmode
