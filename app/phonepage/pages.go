package phonepage

import (
	"net/http"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

// The states of an appointment as the page shows them.
const (
	stateLater     = "later"     // the join button is not open yet
	stateOpen      = "open"      // the visitor can join now
	stateOver      = "over"      // the end has passed
	stateCancelled = "cancelled" // cancelled, by the visitor or the city
)

type appointmentView struct {
	*view
	State       string
	Status      line // the sentence above the join button
	JoinURL     string
	RefreshURL  string // on the day itself, before the button opens
	Facts       []fact
	Prepare     []line
	CalendarURL string
	CancelURL   string
}

// page is GET /a/{token}: the appointment and its join button.
func (h *handler) page(w http.ResponseWriter, r *http.Request, q request) {
	v := h.newView(q.lang)
	a, now := q.appt, q.now
	av := &appointmentView{view: v, JoinURL: a.JoinURL, Facts: v.facts(a, q.service)}
	opens := a.Start.Add(-domain.JoinOpensBefore)
	switch {
	case a.Cancelled:
		av.State, av.Status = stateCancelled, v.T("PhoneCancelledStatus")
	case a.Over(now):
		av.State, av.Status = stateOver, v.T("PhoneOver")
	case a.CanJoin(now) && now.Before(a.Start):
		av.State, av.Status = stateOpen, v.tr("PhoneJoinSoon", map[string]any{"Time": clock(a.Start)})
	case a.CanJoin(now):
		av.State, av.Status = stateOpen, v.T("PhoneJoinStarted")
	default:
		av.State = stateLater
		if sameDay(now, opens) {
			av.Status = v.tr("PhoneJoinOpensAt", map[string]any{"Time": clock(opens)})
			av.RefreshURL = "?lang=" + q.lang // a link that reloads the page
		} else {
			av.Status = v.tr("PhoneJoinOpensOn", map[string]any{"Date": day(opens), "Time": clock(opens)})
		}
		// No timed reload: a page that reloads itself starts a screen
		// reader from the top again (WCAG 2.2.1, failure F41). The visitor
		// reloads with the link.
	}
	if av.State == stateLater || av.State == stateOpen {
		for _, p := range q.service.Prepare {
			av.Prepare = append(av.Prepare, v.text(p))
		}
		av.Prepare = append(av.Prepare, v.T("PhonePrepareDevice"))
		av.CalendarURL = q.token + "/calendar.ics?lang=" + q.lang
		av.CancelURL = q.token + "/cancel?lang=" + q.lang
	}
	render(w, http.StatusOK, "appointment", av)
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.In(domain.Brussels).Date()
	by, bm, bd := b.In(domain.Brussels).Date()
	return ay == by && am == bm && ad == bd
}

type cancelView struct {
	*view
	Facts   []fact
	CSRF    string
	BackURL string
}

// confirmCancel is GET /a/{token}/cancel: are you sure?
func (h *handler) confirmCancel(w http.ResponseWriter, r *http.Request, q request) {
	if q.appt.Cancelled || q.appt.Over(q.now) {
		seeOther(w, h.backURL(q))
		return
	}
	v := h.newView(q.lang)
	v.Title = v.T("PhoneCancelQuestion").Text
	render(w, http.StatusOK, "cancel", &cancelView{
		view: v, Facts: v.facts(q.appt, q.service)[:3],
		CSRF: h.csrfField(q.token), BackURL: h.backURL(q),
	})
}

// seeOther redirects to a relative URL as it is: http.Redirect would make
// it absolute, which breaks when the gateway sits under a path prefix.
func seeOther(w http.ResponseWriter, url string) {
	w.Header().Set("Location", url)
	w.WriteHeader(http.StatusSeeOther)
}

// backURL leads from /a/{token}/... back to the appointment.
func (h *handler) backURL(q request) string {
	return "../" + q.token + "?lang=" + q.lang
}

// maxFormBytes is far more than the one hidden field the form sends.
const maxFormBytes = 4 << 10

// cancel is POST /a/{token}/cancel.
func (h *handler) cancel(w http.ResponseWriter, r *http.Request, q request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if !h.validCSRF(r, q.token) {
		h.message(w, r, http.StatusForbidden, q.lang, "PhoneForbiddenTitle", "PhoneForbiddenText", h.backURL(q))
		return
	}
	if q.appt.Over(q.now) && !q.appt.Cancelled {
		seeOther(w, h.backURL(q))
		return
	}
	// Cancelling twice (a reload, a second tap) is not an error.
	if !q.appt.Cancelled {
		if err := h.cfg.Appointments.CancelByToken(r.Context(), q.token); err != nil {
			h.fail(w, r, q.token, "cancel", err)
			return
		}
	}
	v := h.newView(q.lang)
	v.Title = v.T("PhoneCancelDoneTitle").Text
	render(w, http.StatusOK, "cancelled", &cancelView{view: v, Facts: v.facts(q.appt, q.service)[:3]})
}

type messageView struct {
	*view
	Heading, Text line
	BackURL       string
}

// message is a page with one heading and one sentence: not found, error,
// refused.
func (h *handler) message(w http.ResponseWriter, r *http.Request, status int, lang, heading, text, back string) {
	v := h.newView(lang)
	mv := &messageView{view: v, Heading: v.T(heading), Text: v.T(text), BackURL: back}
	v.Title = mv.Heading.Text
	render(w, status, "message", mv)
}

// notFound is the page for an unknown token or path. Tokens are 256-bit
// random, so it says plainly that the link does not work.
func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.message(w, r, http.StatusNotFound, h.guessLang(r), "PhoneNotFoundTitle", "PhoneNotFoundText", "")
}
