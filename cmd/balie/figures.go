package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/outbox"
)

// Kinds of records the kiosk keeps on its disk until the gateway has them.
// Neither holds personal data.
const (
	kindVisit = "visit"
	kindHelp  = "help"
)

// helpStale is how old a kept call for staff may be when the network is
// back: later, the visitor has long gone.
const helpStale = 30 * time.Minute

// figures keeps the anonymous record of each visit, and each call for
// staff the gateway could not take, on the kiosk's disk, and sends them
// when the gateway can be reached: every minute, and at once after each
// new one. Each keeps its id, so the gateway counts it once however often
// it is sent.
type figures struct {
	box   *outbox.Outbox
	log   *slog.Logger
	now   func() time.Time
	nudge chan struct{}

	mu      sync.Mutex
	backend domain.Backend
}

func newFigures(box *outbox.Outbox, backend domain.Backend, log *slog.Logger) *figures {
	return &figures{box: box, backend: backend, log: log, now: time.Now, nudge: make(chan struct{}, 1)}
}

// setBackend follows staff switching to another gateway.
func (f *figures) setBackend(b domain.Backend) {
	f.mu.Lock()
	f.backend = b
	f.mu.Unlock()
	f.poke()
}

func (f *figures) current() domain.Backend {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.backend
}

// recordVisit queues a visit's record; it runs on the UI thread, so the
// sending happens in run.
func (f *figures) recordVisit(v domain.Visit) {
	data, err := json.Marshal(api.FromVisit(v))
	if err == nil {
		err = f.box.Add(kindVisit, v.ID, data)
	}
	if err != nil {
		f.log.Error("visit record not kept", "err", err)
		return
	}
	f.poke()
}

// keepHelp keeps a call for staff the gateway could not take.
func (f *figures) keepHelp(req domain.HelpRequest) error {
	data, err := json.Marshal(api.HelpRequest{ID: req.Ref, Language: req.Language, Screen: req.Screen, Location: req.Location})
	if err != nil {
		return err
	}
	if err := f.box.Add(kindHelp, req.Ref, data); err != nil {
		return err
	}
	f.poke()
	return nil
}

func (f *figures) poke() {
	select {
	case f.nudge <- struct{}{}:
	default:
	}
}

// run sends what is kept until ctx ends.
func (f *figures) run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		f.flush(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-f.nudge:
		}
	}
}

// flush sends the calls for staff first (someone may be waiting), then
// the visits.
func (f *figures) flush(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := f.box.Flush(ctx, kindHelp, 1, f.sendHelp); err != nil {
		f.log.Info("calls for staff kept for later", "err", err)
	}
	if _, err := f.box.Flush(ctx, kindVisit, api.MaxVisitsPerBatch, f.sendVisits); err != nil {
		f.log.Info("visit records kept for later", "err", err)
	}
}

func (f *figures) sendVisits(ctx context.Context, items []outbox.Item) error {
	keeper, ok := f.current().(domain.Figures)
	if !ok {
		return errors.New("this backend keeps no figures")
	}
	visits := make([]domain.Visit, 0, len(items))
	var bad []string
	for _, it := range items {
		var v api.Visit
		if err := json.Unmarshal(it.Payload, &v); err != nil {
			bad = append(bad, it.ID)
			continue
		}
		visits = append(visits, v.ToVisit(""))
	}
	if len(bad) > 0 {
		return outbox.Refused(bad...)
	}
	return refusedIfInvalid(keeper.RecordVisits(ctx, visits))
}

func (f *figures) sendHelp(ctx context.Context, items []outbox.Item) error {
	signals, ok := f.current().(domain.Signals)
	if !ok {
		return outbox.ErrRefused
	}
	for _, it := range items {
		var req api.HelpRequest
		if json.Unmarshal(it.Payload, &req) != nil || f.now().Sub(it.Added) > helpStale {
			return outbox.Refused(it.ID)
		}
		err := signals.RequestHelp(ctx, domain.HelpRequest{Ref: req.ID, Language: req.Language, Screen: req.Screen, Location: req.Location})
		if err := refusedIfInvalid(err); err != nil {
			return err
		}
		f.log.Warn("a call for staff kept while offline was sent", "age", f.now().Sub(it.Added).Round(time.Second).String())
	}
	return nil
}

// refusedIfInvalid marks an answer that will never change (the gateway
// refused the records) so the outbox drops them instead of trying forever.
func refusedIfInvalid(err error) error {
	if domain.CodeOf(err) == domain.EInvalid {
		return errors.Join(err, outbox.ErrRefused)
	}
	return err
}
