package kiosk

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/assets"
	"github.com/digitalebalie/balie/i18n"
)

// helpScreen says where help is: staff nearby, a button that calls them
// where the backend can pass that on, and the help line's number. Once
// called, it follows the call: "someone is on the way" when a member of
// staff took it, the help line and its hours when nobody did in time.
type helpScreen struct {
	*Kiosk
	polled time.Time // when the kiosk last asked about the call
	asking bool      // a question about it is under way
	nobody bool      // "nobody yet" is on show
}

func (s *helpScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	box := container.NewVBox(
		s.question("HelpQuestion", nil),
		container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSquareSize(scaled(96)), NewIcon(assets.Icon("help"))), nil,
			strong(s.t("HelpStaff", nil))),
	)
	if s.cfg.Practice { // calling staff only pretends: say so before anyone waits
		box.Add(banner(s.t("HelpPractice", nil), current().practice))
	}
	var action fyne.CanvasObject
	// A backend that can pass on a call for staff gets a button for it;
	// the visitor need not find the desk or raise a hand.
	signals, canCall := s.cfg.Backend.(domain.Signals)
	s.nobody = false
	switch {
	case s.sess.HelpKept:
		box.Add(banner(s.t("HelpKept", nil), current().practice))
	case s.sess.StaffCalled && s.cfg.Practice:
		// The practice banner above says it: nobody comes.
	case s.sess.StaffCalled:
		box.Add(s.callState())
	case canCall:
		if s.sess.Problem != "" {
			box.Add(s.problem(s.sess.Problem))
		}
		action = primaryButton(s.t("HelpCallStaff", nil), theme.AccountIcon(), s.act(func() { s.callStaff(signals) }))
	}
	if !s.nobody {
		box.Add(paragraph(s.t("HelpLineCall", nil)))
	}
	return box, action
}

// callState says where staff are with the call, Dutch first as every
// confirmation.
func (s *helpScreen) callState() fyne.CanvasObject {
	id := "HelpWaiting"
	switch {
	case s.sess.HelpState == domain.HelpOnTheWay || s.sess.HelpState == domain.HelpHandled:
		id = "HelpOnTheWay"
	case s.cfg.Now().Sub(s.sess.HelpAt) >= s.cfg.HelpWait:
		s.nobody = true
		return banner(s.t("HelpNobodyYet", map[string]any{"Hours": s.helpHours()}), current().practice)
	}
	box := container.NewVBox()
	if s.sess.Lang != i18n.Reference {
		box.Add(banner(s.cfg.Messages.T(i18n.Reference, id, nil), current().confirm))
	}
	box.Add(banner(s.t(id, nil), current().confirm))
	return box
}

// helpHours is when the help line answers, in the visitor's language:
// "on working days from 8:00 to 19:00".
func (s *helpScreen) helpHours() string {
	open, closes, err := s.cfg.HelpLine.Opening()
	if err != nil {
		return ""
	}
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, domain.Brussels)
	at := func(since time.Duration) string {
		return s.keepOrder(s.cfg.Messages.Time(s.sess.Lang, day.Add(since), domain.Brussels))
	}
	return s.t("HelpLineHours", map[string]any{"From": at(open), "To": at(closes)})
}

// changed follows a call for staff: every HelpPoll the kiosk asks the
// gateway whether someone took it, and the screen changes when someone
// did, or when the visitor has waited HelpWait.
func (s *helpScreen) changed() bool {
	if !s.sess.StaffCalled || s.cfg.Practice || s.sess.HelpState == domain.HelpOnTheWay || s.sess.HelpState == domain.HelpHandled {
		return false
	}
	now := s.cfg.Now()
	follower, ok := s.cfg.Backend.(domain.HelpFollower)
	if ok && !s.asking && now.Sub(s.polled) >= s.cfg.HelpPoll {
		s.asking, s.polled = true, now
		ref := s.sess.HelpRef
		timeout := s.cfg.CallTimeout
		watch(s.Kiosk, func() (domain.HelpRequest, error) {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			return follower.HelpState(ctx, ref)
		}, func(h domain.HelpRequest, err error) {
			s.asking = false
			if err != nil || h.State == s.sess.HelpState {
				return // the visitor keeps what they see; the next poll asks again
			}
			s.sess.HelpState = h.State
			if s.sess.Screen == s.shownFor {
				s.render()
			}
		})
	}
	return !s.nobody && now.Sub(s.sess.HelpAt) >= s.cfg.HelpWait
}

// callStaff sends a help request naming only the kiosk's location, the
// language and the screen the visitor came from. When the gateway cannot
// be reached the request waits on the kiosk's disk (it holds nothing
// personal) and goes once the network is back.
func (s *helpScreen) callStaff(signals domain.Signals) {
	req := domain.HelpRequest{Ref: newID(), Location: s.cfg.Location, Language: s.sess.Lang,
		Screen: s.sess.Previous().String(), At: s.cfg.Now()}
	s.sess.Problem = ""
	fetch(s.Kiosk, "BusyCallingStaff", func(ctx context.Context) (done, error) {
		return done{}, signals.RequestHelp(ctx, req)
	}, func(_ done, err error) {
		code := domain.CodeOf(err)
		if (code == domain.EOffline || code == domain.EUnavailable) && s.cfg.KeepHelp != nil && s.cfg.KeepHelp(req) == nil {
			s.sess.HelpKept, s.sess.HelpAt = true, req.At
			s.render()
			return
		}
		s.sess.Problem = code
		if err == nil {
			s.sess.StaffCalled, s.sess.HelpRef, s.sess.HelpAt, s.sess.HelpState = true, req.Ref, req.At, domain.HelpOpen
		}
		s.render()
	})
}
