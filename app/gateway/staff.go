package gateway

import (
	"net/http"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
)

// NoticeLister is what the staff endpoint reads: the store's outbox.
type NoticeLister interface {
	Notices(state domain.NoticeState) ([]domain.Notice, error)
}

// staff requires a staff token: a kiosk's device token is not enough, as
// kiosks stand in public.
func (g *Gateway) staff(h http.HandlerFunc) http.Handler {
	return requireToken(g.staffTokens, "balie-gateway-staff", "staff:", h)
}

// notices is GET /v1/staff/notices?state=failed: the e-mails and SMS that
// could not be sent (by default), or those in another state.
func (g *Gateway) notices(w http.ResponseWriter, r *http.Request) {
	lister, ok := g.store.(NoticeLister)
	if !ok {
		writeJSON(w, http.StatusOK, api.Notices{Notices: []api.Notice{}})
		return
	}
	state := domain.NoticeState(r.URL.Query().Get("state"))
	switch state {
	case "":
		state = domain.NoticeFailed
	case domain.NoticePending, domain.NoticeSent, domain.NoticeFailed, domain.NoticeDropped:
	default:
		badQuery(w, map[string]string{"state": api.ReasonInvalid}) // not one of the listed states
		return
	}
	list, err := lister.Notices(state)
	if err != nil {
		g.fail(w, r, domain.Errorf(domain.EUnavailable, "list notices: %w", err))
		return
	}
	out := api.Notices{Notices: make([]api.Notice, 0, len(list))}
	for _, n := range list {
		out.Notices = append(out.Notices, api.Notice{
			ID: n.ID, Kind: string(n.Kind), Code: n.Code, State: string(n.State),
			Due: n.Due.UTC(), Attempts: n.Attempts, LastError: n.LastError,
		})
	}
	writeJSON(w, http.StatusOK, out)
}
