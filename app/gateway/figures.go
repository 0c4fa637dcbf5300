package gateway

import (
	"net/http"
	"net/url"
	"time"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/stats"
)

// FigureKeeper is what the figures' endpoints need of the store.
type FigureKeeper interface {
	RecordVisitsCounted(visits []domain.Visit) (recorded, duplicates int, err error)
	Visits(from, to time.Time) ([]domain.Visit, error)
}

// visits is POST /v1/visits: a kiosk sends the anonymous records of its
// sessions, perhaps again after a lost answer; each counts once.
func (g *Gateway) visits(w http.ResponseWriter, r *http.Request) {
	var batch api.VisitBatch
	if e := decodeBody(w, r, &batch); e != nil {
		writeError(w, e.status, e.body)
		return
	}
	if len(batch.Visits) > api.MaxVisitsPerBatch {
		g.fail(w, r, domain.Invalid(map[string]domain.FieldReason{"visits": domain.ReasonTooLong}))
		return
	}
	device := deviceOf(r.Context())
	visits := make([]domain.Visit, 0, len(batch.Visits))
	for _, v := range batch.Visits {
		visit := v.ToVisit(device)
		if err := domain.ValidateVisit(visit); err != nil {
			g.fail(w, r, err)
			return
		}
		visits = append(visits, visit)
	}
	keeper, ok := g.store.(FigureKeeper)
	if !ok {
		g.fail(w, r, domain.Errorf(domain.EUnavailable, "this store keeps no figures"))
		return
	}
	if !g.allow(w, r, "visits", g.limits.visits()) {
		return
	}
	recorded, duplicates, err := keeper.RecordVisitsCounted(visits)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, api.VisitsRecorded{Recorded: recorded, Duplicates: duplicates})
}

// MaxStatsDays bounds the period of one GET /v1/stats.
const MaxStatsDays = 400

// stats is GET /v1/stats?from=2026-11-01&to=2026-11-30: the figures over
// all kiosks for the days from and to, both included (Brussels days). By
// default the last 30 days up to today.
func (g *Gateway) stats(w http.ResponseWriter, r *http.Request) {
	from, to, unreadable, fields := statsPeriod(r.URL.Query(), g.now())
	if len(unreadable) > 0 {
		badQuery(w, unreadable)
		return
	}
	if len(fields) > 0 {
		g.fail(w, r, domain.Invalid(fields))
		return
	}
	keeper, ok := g.store.(FigureKeeper)
	if !ok {
		g.fail(w, r, domain.Errorf(domain.EUnavailable, "this store keeps no figures"))
		return
	}
	visits, err := keeper.Visits(from, to)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, stats.Summarize(visits, from, to, domain.Brussels))
}

// statsPeriod reads from and to (days, both included) into [from, to).
func statsPeriod(q url.Values, now time.Time) (from, to time.Time, unreadable map[string]string, fields map[string]domain.FieldReason) {
	unreadable, fields = map[string]string{}, map[string]domain.FieldReason{}
	now = now.In(domain.Brussels)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, domain.Brussels)
	day := func(name string, fallback time.Time) time.Time {
		s := q.Get(name)
		if s == "" {
			return fallback
		}
		d, err := time.ParseInLocation(time.DateOnly, s, domain.Brussels)
		if err != nil {
			unreadable[name] = api.ReasonInvalidDate
		}
		return d
	}
	last := day("to", today)
	first := day("from", last.AddDate(0, 0, -29))
	switch {
	case len(unreadable) > 0:
	case last.Before(first):
		fields["to"] = domain.ReasonOutOfRange
	case last.Sub(first) > MaxStatsDays*24*time.Hour:
		fields["from"] = domain.ReasonOutOfRange
	}
	return first, last.AddDate(0, 0, 1), unreadable, fields
}
