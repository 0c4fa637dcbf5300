package phonepage

import (
	"net/http"

	"github.com/digitalebalie/balie/app/icsfile"
)

// calendar is GET /a/{token}/calendar.ics: the appointment for the phone's
// own calendar, with a reminder when the join button opens. Once the
// appointment is cancelled the same file cancels the event (icsfile).
func (h *handler) calendar(w http.ResponseWriter, r *http.Request, q request) {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="afspraak-`+q.appt.Code+`.ics"`)
	_, _ = w.Write(h.icalendar(q))
}

// icalendar is the same file as the e-mails' (icsfile.NewTexts), in the
// page's language: Dutch first, then the visitor's.
func (h *handler) icalendar(q request) []byte {
	return icsfile.Build(q.appt, icsfile.NewTexts(h.cfg.Catalog, q.lang, q.appt, q.service), q.now)
}
