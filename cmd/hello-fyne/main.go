// Command hello-fyne is the bare Fyne window the kiosk's cold start is
// measured against (.ci/bench): same toolchain, same build, full screen like
// the kiosk, one label.
package main

import (
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("be.digitalebalie.hello")
	w := a.NewWindow("Hello")
	w.SetContent(widget.NewLabel("Hello Fyne"))
	w.SetFullScreen(true)
	w.ShowAndRun()
}
