// Command hello-fyne is the bare Fyne window the kiosk's cold start is
// measured against (.ci/bench): same toolchain, same flags, one label.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	exitAfterPaint := flag.Bool("exit-after-paint", false, "print ms to the first painted frame, then exit")
	flag.Parse()
	start := time.Now()

	a := app.NewWithID("be.digitalebalie.hello")
	w := a.NewWindow("Hello")
	w.SetContent(widget.NewLabel("Hello Fyne"))
	w.Resize(fyne.NewSize(1280, 720))
	if *exitAfterPaint {
		a.Lifecycle().SetOnStarted(func() {
			go func() {
				fyne.DoAndWait(func() { w.Canvas().Capture() })
				fmt.Printf("first-paint-ms %d\n", time.Since(start).Milliseconds())
				fyne.Do(a.Quit)
			}()
		})
	}
	w.ShowAndRun()
	os.Exit(0)
}
