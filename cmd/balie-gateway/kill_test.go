package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/digitalebalie/balie/app/api"
	"github.com/digitalebalie/balie/app/city"
	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/store"
)

// A booking request as a kiosk sends it, with what it needs to send it
// again and to look the booking up.
type bookingTry struct {
	device, key string
	body        []byte
	check       string // the last four digits of the number
}

// answer is what one send of a bookingTry got back; lost when the
// connection failed (the gateway died under it, or was already dead).
type answer struct {
	status int
	appt   api.Appointment
	code   string // the error's code
	lost   bool
}

func deviceToken(device string) string { return "kill-test-token-" + device + "-0123456789" }

func sendBooking(client *http.Client, base string, b bookingTry) answer {
	req, _ := http.NewRequest("POST", base+"/v1/appointments", bytes.NewReader(b.body))
	req.Header.Set("Authorization", "Bearer "+deviceToken(b.device))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(api.HeaderIdempotency, b.key)
	resp, err := client.Do(req)
	if err != nil {
		return answer{lost: true}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{lost: true} // killed halfway through the answer
	}
	a := answer{status: resp.StatusCode}
	if a.status == http.StatusCreated {
		err = json.Unmarshal(body, &a.appt)
	} else {
		var e api.ErrorBody
		err = json.Unmarshal(body, &e)
		a.code = e.Error.Code
	}
	if err != nil {
		return answer{lost: true}
	}
	return a
}

// The gateway is killed with SIGKILL again and again while kiosks book at
// once, some of them sending the same request twice. After every restart
// each acknowledged booking is there; a kiosk that got no answer sends its
// request again with the same key and gets that booking or a clean error;
// at the end the data file holds exactly the bookings the kiosks were
// told of (so no key booked twice) and no slot more than its counters.
func TestKill9UnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary, and kills it five times")
	}
	const (
		rounds  = 5
		workers = 12
		devices = 60 // a kiosk looks up 10 codes at once: 600 per restart
		window  = 60 // slots a round books from, so bookings collide
	)
	began := time.Now()
	bin := buildGateway(t)
	data := t.TempDir()
	var config strings.Builder
	config.WriteString("device_bookings_per_hour = 100000\n[devices]\n")
	for i := range devices {
		fmt.Fprintf(&config, "k%02d = %q\n", i, deviceToken(fmt.Sprintf("k%02d", i)))
	}

	var (
		mu     sync.Mutex
		acked  = map[string]api.Appointment{} // code → the booking a kiosk was told of
		keyOf  = map[string]string{}          // code → device|key
		codeOf = map[string]string{}          // device|key → code
		checks = map[string]string{}          // code → check
		lost   []bookingTry
		kills  int
		sent   atomic.Int64
		// retries of lost answers, and those that found a booking
		retried, refound int
	)
	// record takes in an answer; false when it was lost.
	record := func(b bookingTry, a answer) bool {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case a.lost:
			return false
		case a.status == http.StatusCreated:
			k := b.device + "|" + b.key
			if c, ok := codeOf[k]; ok && c != a.appt.Code {
				t.Errorf("key %s booked twice: %s and %s", k, c, a.appt.Code)
			}
			if other, ok := keyOf[a.appt.Code]; ok && other != k {
				t.Errorf("code %s given for keys %s and %s", a.appt.Code, other, k)
			}
			codeOf[k], keyOf[a.appt.Code] = a.appt.Code, k
			acked[a.appt.Code], checks[a.appt.Code] = a.appt, b.check
		case a.status == http.StatusConflict && a.code == string(domain.ESlotTaken):
		case a.status == http.StatusUnprocessableEntity: // a slot that came within the lead time
		default:
			t.Errorf("booking answered %d %s", a.status, a.code)
		}
		return true
	}

	var slots []api.Slot
	next := 0 // numbers the bookings' keys and phone numbers
	for round := 0; ; round++ {
		gw := startGateway(t, bin, data, config.String())
		client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2 * workers}}

		// Every booking acknowledged before the kill is there.
		mu.Lock()
		if len(acked) > devices*10 {
			t.Fatalf("%d bookings to look up: raise devices", len(acked))
		}
		i := 0
		for code, want := range acked {
			device := fmt.Sprintf("k%02d", i%devices)
			i++
			req, _ := http.NewRequest("GET", gw.base+"/v1/appointments/"+code+"?check="+checks[code], nil)
			req.Header.Set("Authorization", "Bearer "+deviceToken(device))
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var found api.Appointment
			err = json.NewDecoder(resp.Body).Decode(&found)
			resp.Body.Close()
			if resp.StatusCode != 200 || err != nil || found.Token != want.Token || !found.Start.Equal(want.Start) {
				t.Fatalf("round %d: acknowledged booking %s: %d %v", round, code, resp.StatusCode, err)
			}
		}
		retry := lost
		lost = nil
		mu.Unlock()

		// A kiosk that got no answer sends the same request again.
		for _, b := range retry {
			a := sendBooking(client, gw.base, b)
			if !record(b, a) {
				t.Fatalf("round %d: a retry got no answer from a running gateway", round)
			}
			retried++
			if a.status == http.StatusCreated {
				refound++
			}
		}
		if round == rounds {
			gw.kill()
			t.Logf("%d kills, %d booking requests, %d acknowledged; %d answers lost and sent again, %d of those booked",
				kills, sent.Load(), len(acked), retried, refound)
			break
		}

		if slots == nil {
			status, body := gw.do(t, "GET", "/v1/services/woonwijzer/slots?days=60", "")
			var list api.SlotList
			if status != 200 || json.Unmarshal(body, &list) != nil || len(list.Slots) < (rounds+1)*window {
				t.Fatalf("slots: %d, %d of them", status, len(list.Slots))
			}
			slots = list.Slots[window:] // the first hour may pass the lead time meanwhile
		}
		hot := slots[round*window : (round+1)*window]
		target := 20 + rand.IntN(20) // acknowledged bookings before the kill
		var killed atomic.Bool
		var acks atomic.Int64
		var wg sync.WaitGroup
		var numbers sync.Mutex
		for w := range workers {
			wg.Go(func() {
				for !killed.Load() {
					numbers.Lock()
					next++
					n := next
					numbers.Unlock()
					phone := fmt.Sprintf("0470 %02d %02d %02d", n/10000%100, n/100%100, n%100)
					body, _ := json.Marshal(api.BookingRequest{ServiceID: "woonwijzer", Start: hot[rand.IntN(len(hot))].Start,
						Language: "nl", Contact: api.Contact{Name: "Jan", Phone: phone}})
					b := bookingTry{device: fmt.Sprintf("k%02d", w), key: fmt.Sprintf("try-%d", n), body: body, check: phone[len(phone)-5:len(phone)-3] + phone[len(phone)-2:]}
					// One in eight is sent twice at once, as by a kiosk that
					// gave up waiting while the first was still on its way.
					copies := 1
					if rand.IntN(8) == 0 {
						copies = 2
					}
					var got sync.WaitGroup
					for range copies {
						sent.Add(1)
						got.Go(func() {
							a := sendBooking(client, gw.base, b)
							if !record(b, a) {
								mu.Lock()
								lost = append(lost, b) // the same try may be lost twice: sent twice after
								mu.Unlock()
							} else if a.status == http.StatusCreated && acks.Add(1) == int64(target) {
								killed.Store(true)
								gw.kill()
							}
						})
					}
					got.Wait()
				}
			})
		}
		select {
		case <-waitGroupDone(&wg):
		case <-time.After(15 * time.Second):
			killed.Store(true)
			t.Fatalf("round %d: %d of %d bookings in 15 s", round, acks.Load(), target)
		}
		kills++
		client.CloseIdleConnections()
	}

	// The data file: bbolt finds it sound; it holds exactly the bookings
	// the kiosks know of, and no slot more than its counters allow.
	path := filepath.Join(data, "gateway.db")
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			t.Errorf("data file: %v", err)
		}
		return nil
	})
	db.Close()
	services := city.MustLoad("gent").Services()
	st, err := store.Open(store.Options{Path: path, Services: services})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	all, err := st.Agenda([]string{"woonwijzer"}, time.Time{}, time.Now().AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	counters, err := st.Capacity("woonwijzer")
	if err != nil {
		t.Fatal(err)
	}
	inSlot := map[time.Time]int{}
	for _, a := range all {
		if _, ok := acked[a.Code]; !ok {
			t.Errorf("booking %s in the data file that no kiosk was told of", a.Code)
		}
		if !a.Cancelled {
			inSlot[a.Start.UTC()]++
		}
	}
	for start, n := range inSlot {
		if n > counters.Counters {
			t.Errorf("slot %s holds %d appointments, %d counters", start, n, counters.Counters)
		}
	}
	if n, _ := st.CountAppointments(); len(all) != len(acked) || n != len(acked) {
		t.Errorf("%d appointments in the file (%d in the agenda), %d acknowledged", n, len(all), len(acked))
	}
	t.Logf("%d slots booked; took %s", len(inSlot), time.Since(began).Round(time.Millisecond))
}

func waitGroupDone(wg *sync.WaitGroup) <-chan struct{} {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	return done
}
