// Package notify sends the e-mails and SMS the gateway owes its visitors: the
// booking confirmation, the cancellation, and the reminders the day before
// and as the call opens. The store's outbox holds what is owed, written in
// the same transaction as the booking or cancellation; the Worker sends it
// when it is due, retries with backoff, and survives restarts: a notice is
// marked as being tried before it is sent, so a crash mid-send means it is
// tried again later, never lost. It knows nothing of Fyne or HTTP handlers.
package notify

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/mail"
	"github.com/digitalebalie/balie/app/sms"
)

// Outbox is the store's side of the outbox.
type Outbox interface {
	DueNotices(now time.Time, limit int) ([]domain.Notice, error)
	StartAttempt(id uint64, now time.Time, backoff func(attempt int) time.Duration) (domain.Notice, domain.Appointment, error)
	FinishAttempt(id uint64, now time.Time, state domain.NoticeState, lastError string) error
}

// Mailer sends one e-mail (mail.Sender).
type Mailer interface {
	Send(ctx context.Context, m mail.Message) error
}

// Worker sends due notices.
type Worker struct {
	Outbox   Outbox
	Mail     Mailer     // nil: e-mails fail, visibly to staff
	SMS      sms.Sender // nil: SMS fail, visibly to staff
	Composer Composer
	Now      func() time.Time
	Log      *slog.Logger
	// MaxAttempts is how often a notice is tried before staff must look
	// at it; default 8 (about four hours with the default backoff).
	MaxAttempts int
	// Backoff is the wait after attempt n (1-based); default 1, 2, 4 … 60
	// minutes.
	Backoff     func(attempt int) time.Duration
	SendTimeout time.Duration // default 60 s
}

func (w *Worker) defaults() {
	if w.Now == nil {
		w.Now = time.Now
	}
	if w.Log == nil {
		w.Log = slog.Default()
	}
	if w.MaxAttempts <= 0 {
		w.MaxAttempts = 8
	}
	if w.Backoff == nil {
		w.Backoff = DefaultBackoff
	}
	if w.SendTimeout <= 0 {
		w.SendTimeout = 60 * time.Second
	}
}

// DefaultBackoff waits 1, 2, 4, 8, 16, 32 and then 60 minutes.
var DefaultBackoff = Backoff(time.Minute)

// Backoff waits first after attempt 1, then doubles, up to an hour.
func Backoff(first time.Duration) func(attempt int) time.Duration {
	return func(attempt int) time.Duration {
		return min(first<<min(max(attempt-1, 0), 10), time.Hour)
	}
}

// Run sends due notices every interval until ctx ends.
func (w *Worker) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		w.Tick(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick sends every notice due now, one after the other, and says how many
// were sent.
func (w *Worker) Tick(ctx context.Context) (sent int) {
	w.defaults()
	due, err := w.Outbox.DueNotices(w.Now(), 100)
	if err != nil {
		w.Log.Error("outbox: list due notices", "err", err)
		return 0
	}
	for _, n := range due {
		if ctx.Err() != nil {
			return sent
		}
		if w.attempt(ctx, n.ID) {
			sent++
		}
	}
	return sent
}

// attempt tries one notice: recorded first, then sent, then its outcome.
func (w *Worker) attempt(ctx context.Context, id uint64) bool {
	now := w.Now()
	n, appt, err := w.Outbox.StartAttempt(id, now, w.Backoff)
	if errors.Is(err, domain.ErrNotPending) {
		return false // dropped by a cancellation, or done meanwhile
	}
	if err != nil {
		w.Log.Error("outbox: start attempt", "notice", id, "err", err)
		return false
	}
	log := w.Log.With("notice", n.ID, "kind", string(n.Kind), "attempt", n.Attempts)
	if n.Stale(appt, now) {
		log.Warn("outbox: notice too late, dropped")
		w.finish(log, n, domain.NoticeDropped, "too late: the moment for this message has passed")
		return false
	}
	sendCtx, cancel := context.WithTimeout(ctx, w.SendTimeout)
	defer cancel()
	err = w.send(sendCtx, n, appt, now)
	switch {
	case err == nil:
		log.Info("outbox: sent")
		w.finish(log, n, domain.NoticeSent, "")
		return true
	case permanent(err) || n.Attempts >= w.MaxAttempts:
		log.Error("outbox: failed for good; staff can see it", "err", err)
		w.finish(log, n, domain.NoticeFailed, err.Error())
	default:
		log.Warn("outbox: will retry", "err", err, "at", n.NextTry)
		w.finish(log, n, domain.NoticePending, err.Error())
	}
	return false
}

func (w *Worker) finish(log *slog.Logger, n domain.Notice, state domain.NoticeState, lastError string) {
	if err := w.Outbox.FinishAttempt(n.ID, w.Now(), state, lastError); err != nil {
		log.Error("outbox: record outcome", "err", err)
	}
}

// errNoChannel says no mail server or SMS provider is configured.
var errNoChannel = errors.New("no mail server or SMS provider configured for this kind of message")

func (w *Worker) send(ctx context.Context, n domain.Notice, a domain.Appointment, now time.Time) error {
	if n.Kind.Email() {
		if w.Mail == nil {
			return errNoChannel
		}
		m, err := w.Composer.Email(n, a, now)
		if err != nil {
			return err
		}
		return w.Mail.Send(ctx, m)
	}
	if w.SMS == nil {
		return errNoChannel
	}
	m, err := w.Composer.SMS(n, a)
	if err != nil {
		return err
	}
	return w.SMS.Send(ctx, m)
}

func permanent(err error) bool {
	return errors.Is(err, errNoChannel) || mail.Permanent(err) || sms.Permanent(err)
}
