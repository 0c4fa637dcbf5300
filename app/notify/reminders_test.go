package notify_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/icsfile"
	"github.com/digitalebalie/balie/app/mail"
	"github.com/digitalebalie/balie/app/mail/mailtest"
	"github.com/digitalebalie/balie/app/notify"
)

func decodeBody(t *testing.T, r io.Reader, encoding string) string {
	t.Helper()
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, &stripNewlines{r})
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type stripNewlines struct{ r io.Reader }

func (s *stripNewlines) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	j := 0
	for _, c := range p[:n] {
		if c != '\r' && c != '\n' {
			p[j] = c
			j++
		}
	}
	return j, err
}

// The SMS come the day before at the same time of day and as the call
// opens, in Brussels time also when summer or winter time began between the
// booking and the appointment (a rule that kept the booking day's UTC offset
// would send it an hour off), with the clock ticking through the night the
// clocks change. Each carries the time and the phone page, and nothing else
// personal. (23- and 25-hour days before: see domain.TestDayBefore.)
func TestRemindersAcrossSummerTime(t *testing.T) {
	for _, tc := range []struct {
		name     string
		bookedOn time.Time // before the change
		day      time.Time // the Monday after it
		smsUTC   string    // the day-before SMS, 09:00 in Brussels
	}{
		{"into summer time", time.Date(2026, 3, 23, 10, 0, 0, 0, domain.Brussels), time.Date(2026, 3, 30, 0, 0, 0, 0, domain.Brussels), "2026-03-29T07:00:00Z"},
		{"into winter time", time.Date(2026, 10, 19, 10, 0, 0, 0, domain.Brussels), time.Date(2026, 10, 26, 0, 0, 0, 0, domain.Brussels), "2026-10-25T08:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.bookedOn)
			a := f.book(tc.day, "ar", domain.Contact{Name: "Amina El Idrissi", Phone: "+32470123456"})
			if sent := f.tickAt(tc.bookedOn); sent != 0 {
				t.Fatalf("sent %d at booking: no address, so no e-mail", sent)
			}
			// Every quarter of an hour up to the appointment, through the
			// night the clocks change: each SMS goes once, on time.
			dayBefore, _ := time.Parse(time.RFC3339, tc.smsUTC)
			soon := a.Start.Add(-15 * time.Minute)
			var sentAt []time.Time
			for at := tc.bookedOn; !at.After(a.Start); at = at.Add(15 * time.Minute) {
				for range f.tickAt(at) {
					sentAt = append(sentAt, at)
				}
			}
			if len(sentAt) != 2 || !sentAt[0].Equal(dayBefore) || !sentAt[1].Equal(soon) {
				t.Fatalf("SMS sent at %v, want %v and %v", sentAt, dayBefore, soon)
			}
			got := f.sms.messages()
			if len(got) != 2 {
				t.Fatalf("%d SMS, want 2", len(got))
			}
			link := "https://balie.gent.example/a/" + a.Token
			for i, want := range []string{"morgen 09:00", "start 09:00"} {
				text := got[i]["text"]
				if got[i]["to"] != "+32470123456" || !strings.HasPrefix(text, "Gent: ") || !strings.Contains(text, want) ||
					!strings.HasSuffix(text, "\n"+link) || !strings.Contains(text, f.msgs.Time("ar", a.Start, domain.Brussels)) {
					t.Errorf("SMS %d: %+v", i, got[i])
				}
				if ref := got[i]["reference"]; !strings.HasPrefix(ref, "balie-gw-test-1-sms-") {
					t.Errorf("SMS %d: reference %q", i, ref)
				}
				if strings.Contains(text, "Amina") || strings.Contains(text, a.Code) || strings.Contains(text, "Energie") {
					t.Errorf("SMS %d carries personal data: %q", i, text)
				}
			}
			if sent := f.tickAt(a.End); sent != 0 || len(f.sms.messages()) != 2 {
				t.Fatal("a reminder went twice")
			}
		})
	}
}

// A cancelled appointment gets its cancellation e-mail and no reminder.
func TestCancelledGetsNoReminders(t *testing.T) {
	f := newFixture(t, time.Date(2026, 11, 23, 10, 0, 0, 0, domain.Brussels))
	a := f.book(time.Date(2026, 11, 30, 0, 0, 0, 0, domain.Brussels), "nl", amina)
	f.tickAt(f.clock.Now())
	if err := f.store.Cancel(context.Background(), a.Code, amina.Email); err != nil {
		t.Fatal(err)
	}
	f.tickAt(f.clock.Now())
	got := f.mail.Wait(t, 2, 5*time.Second)
	if !strings.Contains(string(got[1].Data), "geannuleerd") {
		t.Fatalf("second e-mail is not the cancellation:\n%s", got[1].Data)
	}
	// Through the real mail library: the cancellation's calendar part says
	// CANCEL in its Content-Type and in the file, for the confirmation's UID.
	confirmType, confirmCal := calendarPart(t, got[0].Data)
	cancelType, cancelCal := calendarPart(t, got[1].Data)
	if media, params, _ := mime.ParseMediaType(confirmType); media != "text/calendar" || params["method"] != "PUBLISH" || !strings.Contains(confirmCal, "METHOD:PUBLISH\r\n") {
		t.Errorf("confirmation's calendar part %q", confirmType)
	}
	if media, params, _ := mime.ParseMediaType(cancelType); media != "text/calendar" || params["method"] != "CANCEL" || params["charset"] != "utf-8" ||
		!strings.Contains(cancelCal, "METHOD:CANCEL\r\n") || !strings.Contains(cancelCal, "UID:"+icsfile.EventUID(a.Token)+"\r\n") ||
		!strings.Contains(confirmCal, "UID:"+icsfile.EventUID(a.Token)+"\r\n") || !strings.Contains(cancelCal, "SEQUENCE:1\r\n") {
		t.Errorf("cancellation's calendar part %q:\n%s", cancelType, cancelCal)
	}
	for _, at := range []time.Time{a.Start.Add(-24 * time.Hour), a.Start.Add(-15 * time.Minute), a.Start} {
		f.tickAt(at)
	}
	if n := len(f.sms.messages()); n != 0 {
		t.Fatalf("%d reminders for a cancelled appointment", n)
	}
	dropped, _ := f.store.Notices(domain.NoticeDropped)
	if len(dropped) != 2 {
		t.Fatalf("dropped %+v, want both reminders", dropped)
	}
}

// A refused address fails at once; a server that is down is retried with
// backoff, then reported to staff. The booking stands either way.
func TestFailuresAreRetriedThenReported(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, domain.Brussels)
	t.Run("refused address", func(t *testing.T) {
		f := newFixture(t, now)
		f.mail.RejectRecipients(550)
		a := f.book(now.AddDate(0, 0, 7), "nl", domain.Contact{Name: "A B", Email: "nobody@example.be"})
		f.tickAt(now)
		failed, _ := f.store.Notices(domain.NoticeFailed)
		if len(failed) != 1 || failed[0].Attempts != 1 || !strings.Contains(failed[0].LastError, "550") {
			t.Fatalf("failed notices %+v", failed)
		}
		if strings.Contains(failed[0].LastError, "nobody") {
			t.Fatalf("the error names the address: %q", failed[0].LastError)
		}
		if _, err := f.store.Find(context.Background(), a.Code, "nobody@example.be"); err != nil {
			t.Fatalf("the booking is gone: %v", err)
		}
	})
	t.Run("server down, then back", func(t *testing.T) {
		f := newFixture(t, now)
		f.mail.Close()
		f.book(now.AddDate(0, 0, 7), "nl", amina)
		waits := []time.Duration{0, time.Minute, 2 * time.Minute, 4 * time.Minute}
		at := now
		for i, w := range waits {
			at = at.Add(w)
			if f.tickAt(at.Add(-time.Second)) != 0 {
				t.Fatal("tried before its backoff")
			}
			f.tickAt(at)
			pending, _ := f.store.Notices(domain.NoticePending)
			if len(pending) < 1 || pending[0].Attempts != i+1 {
				t.Fatalf("after try %d: %+v", i+1, pending)
			}
		}
		// The server is back at the same address: the next try gets through.
		f.mail = restartMail(t, f)
		f.tickAt(at.Add(8 * time.Minute))
		f.mail.Wait(t, 1, 5*time.Second)
	})
	t.Run("out of attempts", func(t *testing.T) {
		f := newFixture(t, now)
		f.mail.RejectRecipients(451)
		f.worker.MaxAttempts = 3
		f.book(now.AddDate(0, 0, 7), "nl", domain.Contact{Name: "A B", Email: "a@example.be"})
		for i := range 6 {
			f.tickAt(now.Add(time.Duration(i) * time.Hour))
		}
		failed, _ := f.store.Notices(domain.NoticeFailed)
		if len(failed) != 1 || failed[0].Attempts != 3 || !strings.Contains(failed[0].LastError, "451") {
			t.Fatalf("failed notices %+v", failed)
		}
	})
	t.Run("invalid address", func(t *testing.T) {
		f := newFixture(t, now)
		// An address the store took but the mail library refuses: forced
		// through the composer, as an address could be edited by hand.
		m, err := f.worker.Composer.Email(domain.Notice{Kind: domain.NoticeConfirmEmail, ID: 9}, domain.Appointment{Contact: domain.Contact{Email: "a@b@c"}, Start: now, End: now}, now)
		if err != nil {
			t.Fatal(err)
		}
		err = f.worker.Mail.Send(context.Background(), m)
		if err == nil || !mail.Permanent(err) {
			t.Fatalf("a@b@c: %v, want a permanent error", err)
		}
	})
}

// restartMail starts a new mail server and points the worker at it.
func restartMail(t *testing.T, f *fixture) *mailtest.Server {
	srv := startMail(t)
	sender, err := mail.NewSender(mail.Config{
		Host: srv.Host(), Port: srv.Port(), TLS: mail.TLSStartTLS, RootCAs: srv.RootCAs(),
		Username: "balie", Password: "mail-secret", From: "Stad Gent <no-reply@stad.gent.example>", Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	f.worker.Mail = sender
	return srv
}

// A gateway killed while it sends loses nothing: the notice was marked as
// being tried first, so the restarted gateway tries it again after the
// backoff, and the visitor gets the e-mail once.
func TestRestartMidSend(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, domain.Brussels)
	f := newFixture(t, now)
	f.book(now.AddDate(0, 0, 7), "nl", amina)
	f.mail.Hold()
	done := make(chan struct{})
	go func() { defer close(done); f.tickAt(now) }()
	f.mail.WaitHeld(t, 1, 5*time.Second)
	// The crash: the data file is closed under the worker, and the
	// connection drops before the server has accepted the message.
	f.store.Close()
	f.mail.Close()
	<-done
	if n := len(f.mail.Messages()); n != 0 {
		t.Fatalf("%d messages accepted before the crash", n)
	}

	f.open() // the restarted gateway
	f.mail = restartMail(t, f)
	if f.tickAt(now.Add(30*time.Second)) != 0 {
		t.Fatal("retried before the backoff")
	}
	if f.tickAt(now.Add(notify.DefaultBackoff(1))) != 1 {
		t.Fatal("not sent after the restart")
	}
	f.mail.Wait(t, 1, 5*time.Second)
	sent, _ := f.store.Notices(domain.NoticeSent)
	if len(sent) != 1 || sent[0].Attempts != 2 {
		t.Fatalf("sent notices %+v", sent)
	}
	f.tickAt(now.Add(time.Hour))
	if n := len(f.mail.Messages()); n != 1 {
		t.Fatalf("%d e-mails after the restart, want 1", n)
	}
}

// calendarPart returns the Content-Type and the decoded body of the
// text/calendar part of a raw e-mail.
func calendarPart(t *testing.T, data []byte) (ctype, body string) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(ct string, r io.Reader, encoding string)
	walk = func(ct string, r io.Reader, encoding string) {
		media, params, err := mime.ParseMediaType(ct)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasPrefix(media, "multipart/"):
			mr := multipart.NewReader(r, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				walk(p.Header.Get("Content-Type"), p, p.Header.Get("Content-Transfer-Encoding"))
			}
		case media == "text/calendar":
			ctype, body = ct, decodeBody(t, r, encoding)
		}
	}
	walk(msg.Header.Get("Content-Type"), msg.Body, msg.Header.Get("Content-Transfer-Encoding"))
	if ctype == "" {
		t.Fatalf("no text/calendar part:\n%s", data)
	}
	return ctype, body
}
