package staffmode

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Health is how the kiosk is doing.
type Health struct {
	GatewayOK     bool
	GatewayDetail string
	Version       string
	Voices        []string
	FreeDisk      uint64 // bytes; 0 is unknown
	DiskPath      string
}

// lowDisk is less free space than a day of logs and cached maps may need.
const lowDisk = 1 << 30

const healthTimeout = 10 * time.Second

// healthTab shows each item with a word for its state (OK, PROBLEEM,
// ONBEKEND) and an icon: never colour alone.
type healthTab struct {
	p       *Panel
	content fyne.CanvasObject
	lines   *fyne.Container
	status  *widget.Label
	again   *widget.Button
	busy    bool
	// markerWidth fits the widest marker, so the details line up.
	markerWidth float32
}

func newHealthTab(p *Panel) *healthTab {
	h := &healthTab{p: p, lines: container.NewVBox(), status: message()}
	for _, word := range []string{"OK", "PROBLEEM", "ONBEKEND"} {
		h.markerWidth = max(h.markerWidth, markerLabel(word).MinSize().Width)
	}
	var again fyne.CanvasObject
	h.again, again = newButton("Vernieuwen", theme.ViewRefreshIcon(), h.refresh)
	say(h.status, "", false)
	top := container.NewVBox(heading("Toestand van de balie"), beside(again, h.status))
	h.content = container.NewBorder(top, nil, nil, nil, container.NewVScroll(h.lines))
	return h
}

// refresh asks for the health off the UI thread.
func (h *healthTab) refresh() {
	if h.busy || h.p.o.Health == nil {
		return
	}
	h.busy = true
	h.again.Disable()
	say(h.status, "Bezig met controleren…", false)
	ctx, cancel := context.WithTimeout(h.p.ctx, healthTimeout)
	var got Health
	h.p.env.background(func() { got = h.p.o.Health(ctx) }, func() {
		cancel()
		h.busy = false
		h.again.Enable()
		h.show(got)
		say(h.status, "Gecontroleerd om "+h.p.env.clk.Now().Format("15:04"), false)
	})
}

// state is one line's marker.
type state int

const (
	stateOK state = iota
	stateProblem
	stateUnknown
)

func (h *healthTab) show(got Health) {
	h.lines.RemoveAll()
	gateway := got.GatewayDetail
	if gateway == "" {
		gateway = map[bool]string{true: "bereikbaar", false: "niet bereikbaar"}[got.GatewayOK]
	}
	h.line(map[bool]state{true: stateOK, false: stateProblem}[got.GatewayOK], "Gateway: "+gateway)
	if got.Version == "" {
		h.line(stateUnknown, "Versie van de software: onbekend")
	} else {
		h.line(stateOK, "Versie van de software: "+got.Version)
	}
	if len(got.Voices) == 0 {
		h.line(stateProblem, "Stemmen om voor te lezen: geen gevonden, voorlezen werkt niet")
	} else {
		h.line(stateOK, "Stemmen om voor te lezen: "+strings.Join(got.Voices, ", "))
	}
	where := ""
	if got.DiskPath != "" {
		where = " (" + got.DiskPath + ")"
	}
	switch {
	case got.FreeDisk == 0:
		h.line(stateUnknown, "Vrije schijfruimte"+where+": onbekend")
	case got.FreeDisk < lowDisk:
		h.line(stateProblem, "Vrije schijfruimte"+where+": "+gigabytes(got.FreeDisk)+", te weinig")
	default:
		h.line(stateOK, "Vrije schijfruimte"+where+": "+gigabytes(got.FreeDisk))
	}
}

func (h *healthTab) line(s state, text string) {
	icon, word, importance := theme.ConfirmIcon(), "OK", widget.SuccessImportance
	switch s {
	case stateProblem:
		icon, word, importance = theme.ErrorIcon(), "PROBLEEM", widget.DangerImportance
	case stateUnknown:
		icon, word, importance = theme.QuestionIcon(), "ONBEKEND", widget.WarningImportance
	}
	marker := markerLabel(word)
	marker.Importance = importance
	detail := widget.NewLabel(text)
	detail.Wrapping = fyne.TextWrapWord
	// The marker keeps to the first line of a detail that wraps.
	h.lines.Add(container.NewBorder(nil, nil,
		container.NewVBox(container.NewHBox(widget.NewIcon(icon), sized(marker, h.markerWidth, 0))), nil, detail))
}

func markerLabel(word string) *widget.Label {
	l := widget.NewLabel(word)
	l.TextStyle.Bold = true
	return l
}

// gigabytes is a size in GB with one decimal, written the Flemish way:
// "12,3 GB".
func gigabytes(b uint64) string {
	return strings.Replace(fmt.Sprintf("%.1f GB", float64(b)/1e9), ".", ",", 1)
}
