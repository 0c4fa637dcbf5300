package phonepage

import (
	"net/http"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/icsfile"
)

// calendar is GET /a/{token}/calendar.ics: the appointment for the phone's
// own calendar, with a reminder when the join button opens.
func (h *handler) calendar(w http.ResponseWriter, r *http.Request, q request) {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="afspraak-`+q.appt.Code+`.ics"`)
	_, _ = w.Write(h.icalendar(q))
}

func (h *handler) icalendar(q request) []byte {
	v := h.newView(q.lang)
	// Dutch first, then the visitor's language, as in the e-mails.
	desc := v.tr("PhoneCalendarDescription", map[string]any{"URL": q.appt.JoinURL, "Code": q.appt.Code})
	text := desc.Text
	if desc.NL != "" {
		text = desc.NL + "\n\n" + desc.Text
	}
	return icsfile.Build(q.appt, icsfile.Texts{
		Summary:     h.cfg.Catalog.T(q.lang, "PhoneCalendarSummary", map[string]any{"Theme": q.service.Name.In(q.lang)}),
		Description: text,
		Alarm:       h.cfg.Catalog.N(q.lang, "PhoneCalendarAlarm", int(domain.JoinOpensBefore.Minutes()), nil),
	}, q.now)
}
