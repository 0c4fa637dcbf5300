package kiosk

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/assets"
	"github.com/digitalebalie/balie/i18n"
)

// helpScreen says where help is: staff nearby, a button that calls them
// where the backend can pass that on, and Gentinfo's number.
type helpScreen struct{ *Kiosk }

func (s helpScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	box := container.NewVBox(
		s.question("HelpQuestion", nil),
		container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSquareSize(scaled(96)), widget.NewIcon(assets.Icon("help"))), nil,
			strong(s.t("HelpStaff", nil))),
	)
	if s.cfg.Practice { // calling staff only pretends: say so before anyone waits
		box.Add(banner(s.t("HelpPractice", nil), current().practice))
	}
	var action fyne.CanvasObject
	// A backend that can pass on a call for staff gets a button for it;
	// the visitor need not find the desk or raise a hand.
	if signals, ok := s.cfg.Backend.(domain.Signals); ok {
		switch {
		case s.sess.StaffCalled:
			if s.sess.Lang != i18n.Reference { // Dutch first: a confirmation
				box.Add(banner(s.cfg.Messages.T(i18n.Reference, "HelpStaffCalled", nil), current().confirm))
			}
			box.Add(banner(s.t("HelpStaffCalled", nil), current().confirm))
		default:
			if s.sess.Problem != "" {
				box.Add(s.problem(s.sess.Problem))
			}
			action = primaryButton(s.t("HelpCallStaff", nil), theme.AccountIcon(), s.act(func() { s.callStaff(signals) }))
		}
	}
	box.Add(paragraph(s.t("HelpGentinfo", map[string]any{"Phone": s.keepOrder(s.cfg.HelpPhone)})))
	return box, action
}

// callStaff sends a help request naming only the language and the screen
// the visitor came from.
func (s helpScreen) callStaff(signals domain.Signals) {
	req := domain.HelpRequest{Language: s.sess.Lang, Screen: s.sess.Previous().String(), At: s.cfg.Now()}
	s.sess.Problem = ""
	fetch(s.Kiosk, "BusyCallingStaff", func(ctx context.Context) (done, error) {
		return done{}, signals.RequestHelp(ctx, req)
	}, func(_ done, err error) {
		s.sess.Problem = domain.CodeOf(err)
		s.sess.StaffCalled = err == nil
		s.render()
	})
}
