package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/digitalebalie/balie/app/api"
)

// A scenario makes each client's next request. It returns nil when it has
// nothing left to ask, which ends that client early.
type scenario func(client int, rng *rand.Rand) *http.Request

// drive runs clients goroutines that send the scenario's requests over one
// shared client until the duration is up, each timing only the round trip:
// sending the request and reading the whole answer. Building the request,
// including its JSON body, happens before the clock starts.
func drive(hc *http.Client, clients int, duration time.Duration, next scenario) result {
	res := result{clients: clients, statuses: map[int]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(duration)
	for c := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), uint64(start.UnixNano())))
			var lat []time.Duration
			statuses := map[int]int{}
			errs := 0
			for time.Now().Before(deadline) {
				req := next(c, rng)
				if req == nil {
					break
				}
				t0 := time.Now()
				resp, err := hc.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				d := time.Since(t0)
				if err != nil {
					errs++
					continue
				}
				lat = append(lat, d)
				statuses[resp.StatusCode]++
			}
			mu.Lock()
			defer mu.Unlock()
			res.latencies = append(res.latencies, lat...)
			for code, n := range statuses {
				res.statuses[code] += n
			}
			res.errors += errs
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// newRequest builds a request as a kiosk sends it: with its device token,
// and a JSON body when v is not nil.
func newRequest(method, url string, v any) *http.Request {
	var body io.Reader
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, body)
	if err != nil {
		panic(err)
	}
	req.Header.Set("Authorization", "Bearer "+deviceToken)
	if v != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// warmUp has every client open its keep-alive connection with a health
// check, so the measured requests do not include TCP handshakes.
func warmUp(hc *http.Client, base string, clients int) error {
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for range clients {
		wg.Go(func() {
			resp, err := hc.Do(newRequest("GET", base+"/v1/health", nil))
			if err != nil {
				errs <- err
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// videoServices lists the ids of the services that can be booked by video.
func videoServices(hc *http.Client, base string) ([]string, error) {
	var list api.ServiceList
	if err := getJSON(hc, base+"/v1/services?lang=nl", &list); err != nil {
		return nil, err
	}
	var ids []string
	for _, s := range list.Services {
		if s.ByVideo {
			ids = append(ids, s.ID)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("no video services")
	}
	return ids, nil
}

func getJSON(hc *http.Client, url string, v any) error {
	resp, err := hc.Do(newRequest("GET", url, nil))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// slotsScenario lists a random video service's slots for a week.
func slotsScenario(base string, services []string) scenario {
	return func(_ int, rng *rand.Rand) *http.Request {
		id := services[rng.IntN(len(services))]
		return newRequest("GET", base+"/v1/services/"+id+"/slots?days=7", nil)
	}
}

// freeSlot is one slot to book.
type freeSlot struct {
	serviceID string
	start     time.Time
}

// freeSlots fetches every free slot of the video services over 60 days,
// in random order, leaving out any that starts within two hours: the
// gateway's one-hour lead time must not overtake it during the run.
func freeSlots(hc *http.Client, base string, services []string) ([]freeSlot, error) {
	var out []freeSlot
	soon := time.Now().Add(2 * time.Hour)
	for _, id := range services {
		var list api.SlotList
		if err := getJSON(hc, base+"/v1/services/"+id+"/slots?days=60", &list); err != nil {
			return nil, err
		}
		for _, s := range list.Slots {
			if s.Start.After(soon) {
				out = append(out, freeSlot{id, s.Start})
			}
		}
	}
	rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, nil
}

// bookScenario books each slot of pool once, under its own Idempotency-Key
// and with a valid contact. When the pool is empty it returns nil.
func bookScenario(base string, pool []freeSlot) scenario {
	slots := make(chan freeSlot, len(pool))
	for _, s := range pool {
		slots <- s
	}
	close(slots)
	var mu sync.Mutex
	seq := 0
	return func(client int, _ *rand.Rand) *http.Request {
		s, ok := <-slots
		if !ok {
			return nil
		}
		mu.Lock()
		seq++
		n := seq
		mu.Unlock()
		req := newRequest("POST", base+"/v1/appointments", api.BookingRequest{
			ServiceID: s.serviceID, Start: s.start, Language: "nl",
			Contact: api.Contact{
				Name:  fmt.Sprintf("Bezoeker %d", n),
				Email: fmt.Sprintf("bezoeker%d@example.be", n),
				Phone: fmt.Sprintf("0470%06d", n%1_000_000), // one visitor each: under the contact quota
			},
		})
		req.Header.Set(api.HeaderIdempotency, fmt.Sprintf("load-%d-%d", client, n))
		return req
	}
}
