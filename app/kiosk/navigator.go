package kiosk

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/digitalebalie/balie/app/session"
)

// screen is one step of the kiosk. It is built when the visitor arrives on
// it, keeps its own state while they stay, and draws itself from the
// session each time the kiosk renders.
type screen interface {
	// show returns what the screen shows, which scrolls, and its main
	// action, which stands in the action bar under it and never scrolls:
	// at the largest text the button that moves on is always in sight.
	// action is nil on a screen without one.
	show() (content, action fyne.CanvasObject)
}

// ticking is a screen that changes with the clock: changed tells, once a
// second, whether it must be drawn again.
type ticking interface{ changed() bool }

// screens builds each step's screen. Adding a screen is one file with its
// type, its messages, and one line here.
var screens = map[session.Screen]func(*Kiosk) screen{
	session.Welcome:      func(k *Kiosk) screen { return welcomeScreen{k} },
	session.Home:         func(k *Kiosk) screen { return homeScreen{k} },
	session.Help:         func(k *Kiosk) screen { return &helpScreen{Kiosk: k} },
	session.Theme:        func(k *Kiosk) screen { return themeScreen{k} },
	session.Fit:          func(k *Kiosk) screen { return fitScreen{k} },
	session.Day:          func(k *Kiosk) screen { return dayScreen{k} },
	session.Time:         func(k *Kiosk) screen { return timeScreen{k} },
	session.Contact:      func(k *Kiosk) screen { return contactScreen{k} },
	session.Confirm:      func(k *Kiosk) screen { return confirmScreen{k} },
	session.Done:         func(k *Kiosk) screen { return doneScreen{k} },
	session.JoinFind:     func(k *Kiosk) screen { return joinFindScreen{k} },
	session.JoinStatus:   func(k *Kiosk) screen { return &joinStatusScreen{Kiosk: k} },
	session.JoinPhone:    func(k *Kiosk) screen { return &joinPhoneScreen{Kiosk: k} },
	session.JoinCancel:   func(k *Kiosk) screen { return joinCancelScreen{k} },
	session.JoinCall:     func(k *Kiosk) screen { return joinCallScreen{k} },
	session.JoinCallOver: func(k *Kiosk) screen { return joinCallOverScreen{k} },
	session.Interpreter:  func(k *Kiosk) screen { return interpreterScreen{k} },
	session.Feedback:     func(k *Kiosk) screen { return feedbackScreen{k} },
}

// screen returns the current step's screen: the one on show while the
// visitor stays on that step, a new one when they moved or a new visitor
// started.
func (k *Kiosk) screen() screen {
	if k.shown == nil || k.shownFor != k.sess.Screen || k.shownGen != k.gen {
		build, ok := screens[k.sess.Screen]
		if !ok {
			build = screens[session.Welcome]
		}
		k.shown, k.shownFor, k.shownGen = build(k), k.sess.Screen, k.gen
	}
	return k.shown
}

// perPage keeps every list at six choices plus one "more": never more than
// about seven things to choose from on a screen.
const perPage = 6

// columns is two at normal text size and one when text is large, so cards
// reflow instead of cutting text.
func (k *Kiosk) columns() int {
	if k.look.scale >= 1.5 {
		return 1
	}
	return 2
}

// perPage is how many cards a page of cols columns shows: six, or on a short
// screen (a 720p monitor) one row, where two rows with their text would not
// fit and a visitor might not think of scrolling. At large text the single
// column must scroll; three cards keep the list short.
func (k *Kiosk) perPage(cols int) int {
	switch {
	case cols > 1 && k.short():
		return cols
	case k.short():
		return 3
	}
	return perPage
}

// short tells whether the window is a 720p-class monitor (the Mobiel
// Dienstencentrum laptop) rather than the offices' Full HD screens.
func (k *Kiosk) short() bool { return k.win.Canvas().Size().Height < 900 }

// wide tells whether three cards or fields fit side by side: the window is
// at least 1200 px wide for every step of text size. A 720p screen then
// shows a whole screen without scrolling.
func (k *Kiosk) wide() bool {
	return k.columns() > 1 && k.win.Canvas().Size().Width >= 1200*k.look.scale
}

// sideBySide puts parts in columns on a wide screen, in reading order, and
// under each other otherwise.
func (k *Kiosk) sideBySide(parts ...fyne.CanvasObject) fyne.CanvasObject {
	if k.wide() {
		return k.grid(len(parts), parts...)
	}
	return container.NewVBox(parts...)
}

// actions lays out a screen's action bar: side by side in reading order
// where they fit, under each other at large text. The first is the one a
// hurried tap should find, at the end of the line.
func (k *Kiosk) actions(buttons ...fyne.CanvasObject) fyne.CanvasObject {
	if len(buttons) == 1 {
		return buttons[0]
	}
	if k.columns() > 1 {
		return k.grid(len(buttons), buttons...)
	}
	return container.NewVBox(buttons...)
}

// page returns the slice of n items shown on the current page, and the
// buttons that move between pages, for the action bar: nil when all fit.
func (k *Kiosk) page(n, per int, moreID, lessID string) (from, to int, nav fyne.CanvasObject) {
	from = k.sess.Page * per
	if from >= n {
		k.sess.Page, from = 0, 0
	}
	to = min(from+per, n)
	if k.sess.Page == 0 && to >= n {
		return from, to, nil
	}
	row := k.grid(2)
	if k.sess.Page > 0 {
		row.Add(NewButton(k.t(lessID, nil), k.backIcon(), k.act(func() {
			k.sess.Page--
			k.render()
		})))
	} else {
		row.Add(layout.NewSpacer())
	}
	if to < n {
		row.Add(k.forward(NewButton(k.t(moreID, nil), nil, k.act(func() {
			k.sess.Page++
			k.render()
		}))))
	}
	return from, to, row
}
