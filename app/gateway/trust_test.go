package gateway

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/store"
)

// bookingFor is a booking of start for its own e-mail address.
func bookingFor(start time.Time, email string) string {
	b, _ := json.Marshal(api.BookingRequest{
		ServiceID: "energie", Start: start, Language: "fr",
		Contact: api.Contact{Name: "Visitor", Email: email},
	})
	return string(b)
}

// Through the API as through the store: a booking, two cancels at once (two
// kiosks, as the client's retry or the phone page would) and a re-booking
// of the slot; one more booking must then get 409, every round.
func TestConcurrentCancelsOverHTTPNeverDoubleBook(t *testing.T) {
	f := newFixture(t)
	f.gw.limits.DeviceEvery, f.gw.limits.DeviceBurst = time.Nanosecond, 1<<30
	start := f.firstSlot(t).Start
	const rounds = 300
	doubles := 0
	for round := range rounds {
		var first api.Appointment
		decode(t, f.call("POST", "/v1/appointments", bookingFor(start, fmt.Sprintf("first-%d@example.be", round))), http.StatusCreated, &first)
		cancel := `{"check":"first-` + strconv.Itoa(round) + `@example.be"}`
		var wg sync.WaitGroup
		statuses := make([]int, 2)
		var second api.Appointment
		wg.Add(3)
		for i, token := range []string{deviceToken, otherDeviceToken} {
			go func() {
				defer wg.Done()
				statuses[i] = f.call("POST", "/v1/appointments/"+first.Code+"/cancel", cancel, "Authorization", "Bearer "+token).Code
			}()
		}
		go func() {
			defer wg.Done()
			for {
				w := f.call("POST", "/v1/appointments", bookingFor(start, fmt.Sprintf("second-%d@example.be", round)))
				if w.Code == http.StatusCreated {
					json.Unmarshal(w.Body.Bytes(), &second)
					return
				}
				if w.Code != http.StatusConflict {
					t.Errorf("re-booking: %d %s", w.Code, w.Body)
					return
				}
			}
		}()
		wg.Wait()
		if statuses[0] != http.StatusNoContent || statuses[1] != http.StatusNoContent {
			t.Fatalf("round %d: cancels answered %v, want 204 twice", round, statuses)
		}
		w := f.call("POST", "/v1/appointments", bookingFor(start, fmt.Sprintf("third-%d@example.be", round)))
		switch w.Code {
		case http.StatusConflict:
		case http.StatusCreated:
			doubles++
		default:
			t.Fatalf("round %d: third booking %d %s", round, w.Code, w.Body)
		}
		// Free the slot for the next round (and the third one's, if any).
		f.store.CancelByToken(t.Context(), second.Token)
		var third api.Appointment
		if json.Unmarshal(w.Body.Bytes(), &third) == nil && third.Token != "" {
			f.store.CancelByToken(t.Context(), third.Token)
		}
	}
	t.Logf("cancel race over HTTP: %d rounds, %d double bookings", rounds, doubles)
	if doubles > 0 {
		t.Fatalf("%d of %d rounds booked one slot twice", doubles, rounds)
	}
}

// A leaked device token cannot book the calendar empty: after its hourly
// quota the answer is 429 device_quota with Retry-After, and one address
// gets no more than three appointments to come (409 contact_quota).
func TestBookingQuotasOverHTTP(t *testing.T) {
	f := newFixture(t, func(o *store.Options) { o.DeviceBookingsPerHour = 5 })
	var list api.SlotList
	decode(t, f.call("GET", "/v1/services/energie/slots?days=14", ""), http.StatusOK, &list)
	for i := range 3 {
		if w := f.call("POST", "/v1/appointments", bookingFor(list.Slots[i].Start, "amina@example.be")); w.Code != http.StatusCreated {
			t.Fatalf("booking %d: %d %s", i, w.Code, w.Body)
		}
	}
	w := f.call("POST", "/v1/appointments", bookingFor(list.Slots[3].Start, "Amina@Example.be"))
	if w.Code != http.StatusConflict || errorCode(t, w) != "contact_quota" {
		t.Fatalf("fourth for one address: %d %s", w.Code, w.Body)
	}
	for i := 4; i < 6; i++ {
		if w := f.call("POST", "/v1/appointments", bookingFor(list.Slots[i].Start, fmt.Sprintf("v%d@example.be", i))); w.Code != http.StatusCreated {
			t.Fatalf("booking %d: %d %s", i, w.Code, w.Body)
		}
	}
	f.clock.Add(10 * time.Minute)
	w = f.call("POST", "/v1/appointments", bookingFor(list.Slots[6].Start, "v6@example.be"))
	if w.Code != http.StatusTooManyRequests || errorCode(t, w) != "device_quota" || w.Header().Get("Retry-After") != "3000" {
		t.Fatalf("sixth booking of the hour: %d Retry-After=%q %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	// Another kiosk is not held up by this one.
	if w := f.call("POST", "/v1/appointments", bookingFor(list.Slots[6].Start, "v6@example.be"), "Authorization", "Bearer "+otherDeviceToken); w.Code != http.StatusCreated {
		t.Fatalf("the other kiosk: %d %s", w.Code, w.Body)
	}
}

// A booking's language is one the kiosk offers; anything else is refused
// and never stored or echoed.
func TestBookingLanguageMustBeOffered(t *testing.T) {
	f := newFixture(t)
	body := strings.Replace(bookingBody(f.firstSlot(t).Start), `"language":"fr"`, `"language":"\"><svg onload=1>"`, 1)
	w := f.call("POST", "/v1/appointments", body)
	var e api.ErrorBody
	decode(t, w, http.StatusUnprocessableEntity, &e)
	if e.Error.Fields["language"] != "not_offered" || strings.Contains(w.Body.String(), "svg") {
		t.Fatalf("got %s", w.Body)
	}
	if n, _ := f.store.CountAppointments(); n != 0 {
		t.Fatalf("%d appointments stored", n)
	}
}

// BenchmarkRejectedLookups sends 400,000 lookups of random codes with one
// kiosk's token, nearly all over its budget, through the whole handler, and
// reports how much the heap grew. Before the limiter checked the kiosk
// first, each refused code left a bucket behind: 27 MB became 161 MB.
// Run: go test -run '^$' -bench RejectedLookups -benchtime 1x ./app/gateway
func BenchmarkRejectedLookups(b *testing.B) {
	const lookups = 400_000
	for range b.N {
		f := newFixture(b)
		f.gw.log = slog.New(slog.DiscardHandler)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		refused := 0
		for i := range lookups {
			req := httptest.NewRequest("GET", "/v1/appointments/"+domain.NewCode()+"?check=1234", nil)
			req.Header.Set("Authorization", "Bearer "+deviceToken)
			w := httptest.NewRecorder()
			f.gw.ServeHTTP(w, req)
			if w.Code == http.StatusTooManyRequests {
				refused++
			}
			if i%1000 == 0 {
				f.clock.Add(time.Second)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		grew := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
		b.ReportMetric(grew, "heap-MB")
		b.ReportMetric(100*float64(refused)/lookups, "%refused")
		if grew >= 16 {
			b.Fatalf("400,000 rejected lookups grew the heap by %.1f MB; the bound is 16 MB", grew)
		}
	}
}
