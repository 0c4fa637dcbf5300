package kiosk

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/session"
)

// The city's figures: each visit ends in one anonymous record, handed to
// Config.RecordVisit when the session is wiped. It holds no name,
// contact, code or free text.

// noteVisit keeps what the figures need of the visit so far: when the
// visitor first tapped, and which aids they used at any moment.
func (k *Kiosk) noteVisit() {
	s := k.sess
	if s.Started.IsZero() && s.Screen != session.Welcome {
		s.Started = k.cfg.Now()
	}
	s.UsedLargerText = s.UsedLargerText || s.TextStep > 0
	s.UsedContrast = s.UsedContrast || s.HighContrast
	s.UsedReadAloud = s.UsedReadAloud || s.ReadAloud
	if s.Booked != nil && s.ToBook == 0 && !s.Started.IsZero() {
		s.ToBook = max(k.cfg.Now().Sub(s.Started), 1)
	}
}

// endVisit records the visit that is being wiped. A session that never
// left the welcome screen is no visit.
func (k *Kiosk) endVisit(timedOut bool) {
	k.noteVisit()
	s := k.sess
	if k.cfg.RecordVisit == nil || s.Started.IsZero() {
		return
	}
	v := domain.Visit{
		ID:         newID(),
		Location:   k.cfg.Location,
		Start:      s.Started,
		Duration:   k.cfg.Now().Sub(s.Started),
		Language:   s.Lang,
		Theme:      s.ServiceID,
		Outcome:    outcomeOf(s, timedOut),
		LastScreen: s.Screen.String(),
		Assisted:   s.Assisted,
		LargerText: s.UsedLargerText,
		Contrast:   s.UsedContrast,
		ReadAloud:  s.UsedReadAloud,
		Score:      s.Score,
	}
	if v.Outcome == domain.VisitBooked {
		v.ToBook = min(s.ToBook, v.Duration)
	}
	if v.Duration < 0 || v.Duration > domain.MaxVisitDuration { // the clock was set meanwhile
		v.Duration, v.ToBook = 0, 0
	}
	k.cfg.RecordVisit(v)
}

// outcomeOf is how the visit ended: what the visitor came for, if done;
// else whether they walked away or stopped.
func outcomeOf(s *session.Session, timedOut bool) domain.VisitOutcome {
	switch {
	case s.Booked != nil:
		return domain.VisitBooked
	case s.Joined:
		return domain.VisitJoined
	case s.StaffCalled || s.HelpKept:
		return domain.VisitHelp
	case timedOut:
		return domain.VisitTimedOut
	}
	return domain.VisitAbandoned
}

// newID is 128 random bits, hex: a visit record's, a call for staff's or
// a booking's id, which the gateway takes once however often it is sent.
func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
