package kiosk

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/session"
	"github.com/digitalebalie/balie/assets"
	"github.com/digitalebalie/balie/i18n"
)

// perPage keeps every list at six choices plus one "more": never more than
// about seven things to choose from on a screen.
const perPage = 6

// screen draws the body of the current screen.
func (k *Kiosk) screen() fyne.CanvasObject {
	switch k.sess.Screen {
	case session.Home:
		return k.home()
	case session.Theme:
		return k.theme()
	case session.Fit:
		return k.fit()
	case session.Day:
		return k.day()
	case session.Time:
		return k.timeOfDay()
	case session.Contact:
		return k.contact()
	case session.Confirm:
		return k.confirm()
	case session.Done:
		return k.done()
	case session.JoinFind:
		return k.joinFind()
	case session.JoinStatus:
		return k.joinStatus()
	case session.JoinPhone:
		return k.joinPhone()
	case session.JoinCancel:
		return k.joinCancel()
	case session.JoinCall:
		return k.joinCall()
	case session.JoinCallOver:
		return k.joinCallOver()
	case session.Help:
		return k.help()
	}
	return k.welcome()
}

// welcome offers every language by its own name, with "choose your
// language" in that language under it.
func (k *Kiosk) welcome() fyne.CanvasObject {
	// Fourteen languages fit on one screen in four columns; each is its
	// own name in its own script, which is how people find theirs, with
	// "choose your language" in that language under it: the screen asks in
	// every language, not only in Dutch.
	grid := container.NewGridWithColumns(k.columns() + 2)
	for _, l := range i18n.Offered {
		grid.Add(NewChoice(l.Name, k.cfg.Messages.T(l.Tag, "WelcomeQuestion", nil), nil, k.act(func() {
			k.sess.Lang = l.Tag
			k.goTo(session.Home)
		})))
	}
	return container.NewVBox(
		heading(k.cfg.Messages.T(i18n.Reference, "WelcomeTitle", nil)),
		grid,
	)
}

func (k *Kiosk) home() fyne.CanvasObject {
	return container.NewVBox(
		k.question("HomeQuestion", nil),
		NewChoice(k.t("HomeBook", nil), k.t("HomeBookHint", nil), theme.CalendarIcon(), k.act(func() { k.goTo(session.Theme) })),
		NewChoice(k.t("HomeJoin", nil), k.t("HomeJoinHint", nil), theme.MediaVideoIcon(), k.act(func() { k.goTo(session.JoinFind) })),
		NewChoice(k.t("HomeHelp", nil), k.t("HomeHelpHint", nil), assets.Icon("help"), k.act(func() { k.goTo(session.Help) })),
	)
}

func (k *Kiosk) help() fyne.CanvasObject {
	box := container.NewVBox(
		k.question("HelpQuestion", nil),
		container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSquareSize(scaled(96)), widget.NewIcon(assets.Icon("help"))), nil,
			strong(k.t("HelpStaff", nil))),
	)
	if k.cfg.Practice { // calling staff only pretends: say so before anyone waits
		box.Add(banner(k.t("HelpPractice", nil), current().practice))
	}
	// A backend that can pass on a call for staff gets a button for it;
	// the visitor need not find the desk or raise a hand.
	if signals, ok := k.cfg.Backend.(domain.Signals); ok {
		switch {
		case k.sess.StaffCalled:
			if k.sess.Lang != i18n.Reference { // Dutch first: a confirmation
				box.Add(banner(k.cfg.Messages.T(i18n.Reference, "HelpStaffCalled", nil), current().confirm))
			}
			box.Add(banner(k.t("HelpStaffCalled", nil), current().confirm))
		default:
			if k.sess.Problem != "" {
				box.Add(k.problem(k.sess.Problem, nil))
			}
			box.Add(primaryButton(k.t("HelpCallStaff", nil), theme.AccountIcon(), k.act(func() { k.callStaff(signals) })))
		}
	}
	box.Add(paragraph(k.t("HelpGentinfo", map[string]any{"Phone": k.cfg.HelpPhone})))
	return box
}

// callStaff sends a help request naming only the language and the screen
// the visitor came from.
func (k *Kiosk) callStaff(signals domain.Signals) {
	req := domain.HelpRequest{Language: k.sess.Lang, Screen: k.sess.Previous().String(), At: k.cfg.Now()}
	k.sess.Problem = ""
	fetch(k, "BusyCallingStaff", func(ctx context.Context) (done, error) {
		return done{}, signals.RequestHelp(ctx, req)
	}, func(_ done, err error) {
		k.sess.Problem = domain.CodeOf(err)
		k.sess.StaffCalled = err == nil
		k.render()
	})
}

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
// column must scroll; three cards keep "more" within reach.
func (k *Kiosk) perPage(cols int) int {
	switch {
	case cols > 1 && k.short():
		return cols
	case k.short():
		return 3 // large text: three cards and "more" before a long scroll
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

// page returns the slice of n items shown on the current page, and buttons
// to move between pages.
func (k *Kiosk) page(n, per int, moreID, lessID string) (from, to int, nav fyne.CanvasObject) {
	from = k.sess.Page * per
	if from >= n {
		k.sess.Page, from = 0, 0
	}
	to = min(from+per, n)
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
	if k.sess.Page == 0 && to >= n {
		return from, to, layout.NewSpacer()
	}
	return from, to, row
}
