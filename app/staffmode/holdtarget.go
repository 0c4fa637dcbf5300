package staffmode

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// HoldTarget wraps the kiosk's logo: a press held for Hold calls OnHold.
// A tap or a shorter press does nothing visible, so visitors do not find
// the staff mode by accident. A touch screen's presses reach it as mouse
// presses.
type HoldTarget struct {
	widget.BaseWidget
	content fyne.CanvasObject
	hold    time.Duration
	onHold  func()
	env     env

	press int         // counts presses, so a late timer of an earlier press does nothing
	stop  func() bool // the running press's timer; nil when not pressed
}

var (
	_ desktop.Mouseable = (*HoldTarget)(nil)
	_ desktop.Hoverable = (*HoldTarget)(nil)
	_ fyne.Tappable     = (*HoldTarget)(nil)
)

// NewHoldTarget wraps content; a press held for hold calls onHold once.
func NewHoldTarget(content fyne.CanvasObject, hold time.Duration, onHold func()) *HoldTarget {
	h := &HoldTarget{content: content, hold: hold, onHold: onHold, env: newEnv()}
	h.ExtendBaseWidget(h)
	return h
}

func (h *HoldTarget) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(h.content) }

// MouseDown starts the hold.
func (h *HoldTarget) MouseDown(*desktop.MouseEvent) {
	h.cancel()
	h.press++
	press := h.press
	h.stop = h.env.clk.AfterFunc(h.hold, func() {
		h.env.toUI(func() {
			if h.press != press || h.stop == nil {
				return // released or pressed again meanwhile
			}
			h.stop = nil
			if h.onHold != nil {
				h.onHold()
			}
		})
	})
}

// MouseUp ends a press: too short, nothing happens.
func (h *HoldTarget) MouseUp(*desktop.MouseEvent) { h.cancel() }

// MouseOut ends a press whose finger slid off the logo.
func (h *HoldTarget) MouseOut() { h.cancel() }

func (h *HoldTarget) MouseIn(*desktop.MouseEvent)    {}
func (h *HoldTarget) MouseMoved(*desktop.MouseEvent) {}

// Tapped does nothing on purpose: it keeps a tap on the logo from falling
// through to what lies under it, and shows visitors nothing.
func (h *HoldTarget) Tapped(*fyne.PointEvent) {}

func (h *HoldTarget) cancel() {
	if h.stop != nil {
		h.stop()
		h.stop = nil
	}
}

// Content is what the target wraps, for tools that read the screen (the
// kiosk's read-aloud and its tests).
func (h *HoldTarget) Content() fyne.CanvasObject { return h.content }
