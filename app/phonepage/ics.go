package phonepage

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"

	ics "github.com/arran4/golang-ical"

	"github.com/digitalebalie/balie/app/domain"
)

// calendar is GET /a/{token}/calendar.ics: the appointment for the phone's
// own calendar, with a reminder when the join button opens.
func (h *handler) calendar(w http.ResponseWriter, r *http.Request, q request) {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="afspraak-`+q.appt.Code+`.ics"`)
	// RFC 5545 lines end in CRLF; the library's default is a bare LF.
	_ = h.icalendar(q).SerializeTo(w, ics.WithNewLine("\r\n"))
}

func (h *handler) icalendar(q request) *ics.Calendar {
	v := h.newView(q.lang)
	a := q.appt
	theme := q.service.Name.In(q.lang)

	cal := ics.NewCalendar()
	cal.SetProductId("-//Digitale Balie//Phone page//NL")
	cal.SetMethod(ics.MethodPublish)
	e := cal.AddEvent(eventUID(a.Token))
	stamp := a.CreatedAt
	if stamp.IsZero() {
		stamp = q.now
	}
	e.SetDtStampTime(stamp)
	// UTC needs no VTIMEZONE block and every calendar shows it in the
	// phone's own zone.
	e.SetStartAt(a.Start)
	e.SetEndAt(a.End)
	e.SetSummary(h.cfg.Catalog.T(q.lang, "PhoneCalendarSummary", map[string]any{"Theme": theme}))
	// Dutch first, then the visitor's language, as in the e-mails.
	desc := v.tr("PhoneCalendarDescription", map[string]any{"URL": a.JoinURL, "Code": a.Code})
	text := desc.Text
	if desc.NL != "" {
		text = desc.NL + "\n\n" + desc.Text
	}
	e.SetDescription(text)
	if a.JoinURL != "" {
		e.SetURL(a.JoinURL)
		e.SetLocation(a.JoinURL)
	}
	if a.Cancelled {
		e.SetStatus(ics.ObjectStatusCancelled)
	} else {
		e.SetStatus(ics.ObjectStatusConfirmed)
	}
	alarm := e.AddAlarm()
	alarm.SetAction(ics.ActionDisplay)
	// The reminder comes when the join button opens.
	minutes := int(domain.JoinOpensBefore.Minutes())
	alarm.SetTrigger(fmt.Sprintf("-PT%dM", minutes))
	alarm.SetProperty(ics.ComponentPropertyDescription, h.cfg.Catalog.N(q.lang, "PhoneCalendarAlarm", minutes, nil))
	return cal
}

// eventUID is the same for every download of one appointment, so a second
// import updates the event instead of adding one; it is a hash, so the
// calendar never holds the token itself.
func eventUID(token string) string {
	sum := sha256.Sum256([]byte("balie-event\x00" + token))
	return hex.EncodeToString(sum[:16]) + "@digitalebalie"
}
