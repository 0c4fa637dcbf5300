package staffmode

import (
	"context"
	"time"
)

// Options is what the staff panel shows and what it calls.
type Options struct {
	Settings  Settings // the current values
	Languages []Choice // every language the kiosk can offer
	Themes    []Choice // every theme: service ids and titles
	// Save persists the settings to the kiosk's config file. Its error is
	// shown as is.
	Save func(Settings) error
	// TestConnection tries a gateway address and device token. Its error
	// is shown as is: the caller words it in plain Dutch.
	TestConnection func(ctx context.Context, gateway, token string) error
	Health         func(ctx context.Context) Health
	// Help is nil in practice mode: help requests then go to nobody.
	Help HelpDesk
	// Book starts a booking on someone's behalf, Close leaves the staff
	// mode. Both stop the panel first: make a new one to come back.
	// Either may be nil: no booking button; Close only stops.
	Book  func()
	Close func()
}

// Settings are the kiosk settings staff may change.
type Settings struct {
	Location        string
	Languages       []string // the keys of the languages offered
	DefaultLanguage string
	Themes          []string // the ids of the themes offered
	Idle            time.Duration
	Gateway         string // empty: practice mode
	DeviceToken     string
	Volume          int // read-aloud volume each visitor starts at: 0 soft, 1 normal, 2 loud
}

// Choice is one language or theme: its key and its name for staff.
type Choice struct{ Key, Label string }
