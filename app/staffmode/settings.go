package staffmode

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// idleChoices are the idle timeouts staff may pick: long enough to read a
// screen, short enough that the next visitor does not find someone's
// half-made booking.
var idleChoices = []time.Duration{60 * time.Second, 90 * time.Second, 2 * time.Minute, 3 * time.Minute, 5 * time.Minute}

// testTimeout bounds "Verbinding testen": the button never stays busy.
const testTimeout = 20 * time.Second

// settingsTab is the form with the kiosk's settings.
type settingsTab struct {
	p       *Panel
	content fyne.CanvasObject

	location                  *widget.Entry
	languages, themes         []*widget.Check // in the order of Options.Languages and Themes
	defaultLanguage, idle     *widget.Select
	gateway, token            *widget.Entry
	idles                     []time.Duration // the idle select's values
	volume                    *widget.RadioGroup
	test                      *widget.Button
	testResult                *widget.Label
	save                      *widget.Button
	saved                     *widget.Label
	languagesError            *widget.Label
	defaultError, themesError *widget.Label
	idleError, gatewayError   *widget.Label
	tokenError                *widget.Label
}

func newSettingsTab(p *Panel) *settingsTab {
	s := &settingsTab{p: p}
	cur := p.o.Settings

	s.location = widget.NewEntry()
	s.location.SetText(cur.Location)
	s.location.SetPlaceHolder("bv. Stadskantoor, inkomhal")

	s.defaultLanguage = widget.NewSelect(nil, nil)
	s.defaultLanguage.PlaceHolder = "Kies de standaardtaal"
	for _, c := range p.o.Languages {
		check := widget.NewCheck(c.Label, nil)
		check.SetChecked(slices.Contains(cur.Languages, c.Key))
		check.OnChanged = func(bool) { s.offerDefaults(); s.changed() }
		s.languages = append(s.languages, check)
	}
	s.offerDefaults()
	// Set directly: a default that is not offered must still show, so
	// Save can say what is wrong with it.
	s.defaultLanguage.Selected = label(p.o.Languages, cur.DefaultLanguage)
	for _, c := range p.o.Themes {
		check := widget.NewCheck(c.Label, nil)
		check.SetChecked(slices.Contains(cur.Themes, c.Key))
		check.OnChanged = func(bool) { s.changed() }
		s.themes = append(s.themes, check)
	}

	s.idles = idleChoices
	if cur.Idle > 0 && !slices.Contains(s.idles, cur.Idle) {
		s.idles = append(slices.Clone(s.idles), cur.Idle) // keep an odd value from the config visible
	}
	var idleLabels []string
	for _, d := range s.idles {
		idleLabels = append(idleLabels, idleLabel(d))
	}
	s.idle = widget.NewSelect(idleLabels, nil)
	if cur.Idle > 0 {
		s.idle.SetSelected(idleLabel(cur.Idle))
	}

	s.gateway = widget.NewEntry()
	s.gateway.SetText(cur.Gateway)
	s.gateway.SetPlaceHolder("https://… (leeg: oefenmodus)")
	s.token = widget.NewPasswordEntry()
	s.token.SetText(cur.DeviceToken)
	var testBox fyne.CanvasObject
	s.test, testBox = newButton("Verbinding testen", theme.SearchIcon(), s.testConnection)
	s.testResult = message()
	say(s.testResult, "", false)

	// The three steps of the kiosk's read-aloud volume: the one each
	// visitor starts at, who may then choose another.
	s.volume = widget.NewRadioGroup(volumeSteps, nil)
	s.volume.Horizontal = true
	s.volume.SetSelected(volumeSteps[min(max(cur.Volume, 0), len(volumeSteps)-1)])
	s.volume.OnChanged = func(string) { s.changed() }

	var saveBox fyne.CanvasObject
	s.save, saveBox = newButton("Bewaren", theme.DocumentSaveIcon(), s.saveTapped)
	s.save.Importance = widget.HighImportance
	s.saved = message()
	for _, l := range []**widget.Label{&s.languagesError, &s.defaultError, &s.themesError, &s.idleError, &s.gatewayError, &s.tokenError} {
		*l = message()
		say(*l, "", false)
	}
	say(s.saved, "", false)
	for _, e := range []*widget.Entry{s.location, s.gateway, s.token} {
		e.OnChanged = func(string) { s.changed() }
	}
	s.defaultLanguage.OnChanged = func(string) { s.changed() }
	s.idle.OnChanged = func(string) { s.changed() }

	// As many columns as fit: a long theme title must not push the form
	// wider than the screen.
	checks := func(cs []*widget.Check) fyne.CanvasObject {
		var rows []fyne.CanvasObject
		cell := fyne.NewSize(0, touchHeight)
		for _, c := range cs {
			row := newCheckRow(c)
			cell = cell.Max(row.MinSize().AddWidthHeight(theme.Padding()*4, 0))
			rows = append(rows, row)
		}
		return container.NewGridWrap(cell, rows...)
	}
	form := container.NewVBox(
		field("Plaats van de balie", tall(s.location)),
		field("Aangeboden talen", checks(s.languages), s.languagesError),
		field("Standaardtaal", tall(s.defaultLanguage), s.defaultError),
		field("Aangeboden thema's", checks(s.themes), s.themesError),
		field("Terug naar het begin na", tall(s.idle), s.idleError),
		field("Adres van de gateway", tall(s.gateway), s.gatewayError),
		field("Toesteltoken", tall(s.token), s.tokenError),
		beside(testBox, s.testResult),
		field("Volume van het voorlezen (waar elke bezoeker mee begint)", tall(s.volume)),
	)
	// Bewaren stays in view below the scrolling form.
	s.content = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), beside(saveBox, s.saved)), nil, nil,
		container.NewVScroll(form))
	return s
}

// field is a label above its control, and the control's problems under it.
func field(name string, control fyne.CanvasObject, problem ...fyne.CanvasObject) fyne.CanvasObject {
	title := widget.NewLabel(name)
	title.TextStyle.Bold = true
	return container.NewVBox(append([]fyne.CanvasObject{title, control}, problem...)...)
}

// offerDefaults lets the default language be one of the languages offered.
// A default no longer offered stays selected, so Save can say what is wrong.
func (s *settingsTab) offerDefaults() {
	var offered []string
	for _, c := range s.languages {
		if c.Checked {
			offered = append(offered, c.Text)
		}
	}
	s.defaultLanguage.SetOptions(offered)
}

// volumeSteps are the read-aloud volumes, soft to loud (speech.Soft,
// Normal, Loud).
var volumeSteps = []string{"Zacht", "Normaal", "Luid"}

func volumeStep(name string) int {
	for i, v := range volumeSteps {
		if v == name {
			return i
		}
	}
	return 1
}

// changed forgets "Bewaard": what is shown is no longer what was saved.
func (s *settingsTab) changed() { say(s.saved, "", false) }

// values reads the form.
func (s *settingsTab) values() Settings {
	o := s.p.o
	v := Settings{
		Location:        strings.TrimSpace(s.location.Text),
		DefaultLanguage: key(o.Languages, s.defaultLanguage.Selected),
		Gateway:         strings.TrimSpace(s.gateway.Text),
		DeviceToken:     strings.TrimSpace(s.token.Text),
		Volume:          volumeStep(s.volume.Selected),
	}
	for i, c := range s.languages {
		if c.Checked {
			v.Languages = append(v.Languages, o.Languages[i].Key)
		}
	}
	for i, c := range s.themes {
		if c.Checked {
			v.Themes = append(v.Themes, o.Themes[i].Key)
		}
	}
	for _, d := range s.idles {
		if idleLabel(d) == s.idle.Selected {
			v.Idle = d
		}
	}
	return v
}

// saveTapped checks every field, shows each problem at its field, and
// saves only a valid form.
func (s *settingsTab) saveTapped() {
	v := s.values()
	problems := map[*widget.Label]string{}
	switch {
	case len(v.Languages) == 0:
		problems[s.languagesError] = "Bied minstens één taal aan."
	case v.DefaultLanguage == "":
		problems[s.defaultError] = "Kies een standaardtaal."
	case !slices.Contains(v.Languages, v.DefaultLanguage):
		problems[s.defaultError] = "De standaardtaal moet een van de aangeboden talen zijn."
	}
	if len(v.Themes) == 0 {
		problems[s.themesError] = "Bied minstens één thema aan."
	}
	if v.Idle <= 0 {
		problems[s.idleError] = "Kies na hoeveel tijd zonder aanraking de balie terug naar het begin gaat."
	}
	if msg := checkGateway(v.Gateway); msg != "" {
		problems[s.gatewayError] = msg
	}
	if v.Gateway != "" && v.DeviceToken == "" {
		problems[s.tokenError] = "Met een gateway is een toesteltoken nodig."
	}
	for _, l := range []*widget.Label{s.languagesError, s.defaultError, s.themesError, s.idleError, s.gatewayError, s.tokenError} {
		say(l, problems[l], true)
	}
	if len(problems) > 0 {
		say(s.saved, "Niet bewaard: verbeter de fouten bij de velden hierboven.", true)
		return
	}
	if s.p.o.Save == nil {
		say(s.saved, "Niet bewaard: deze balie kan haar instellingen niet bewaren.", true)
		return
	}
	// Save writes a small local file: quick enough for the UI thread.
	if err := s.p.o.Save(v); err != nil {
		say(s.saved, "Niet bewaard: "+err.Error(), true)
		return
	}
	s.p.o.Settings = v
	say(s.saved, "Bewaard", false)
}

// checkGateway says what is wrong with a gateway address; empty is
// practice mode, which is fine.
func checkGateway(gateway string) string {
	if gateway == "" {
		return ""
	}
	u, err := url.Parse(gateway)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "Het adres moet met https:// of http:// beginnen, bv. https://balie.gent.be. Laat het leeg voor de oefenmodus."
	}
	return ""
}

// testConnection tries the address and token in the form, off the UI
// thread; the button waits meanwhile.
func (s *settingsTab) testConnection() {
	gateway, token := strings.TrimSpace(s.gateway.Text), strings.TrimSpace(s.token.Text)
	if gateway == "" {
		say(s.testResult, "Vul eerst het adres van de gateway in.", true)
		return
	}
	if msg := checkGateway(gateway); msg != "" {
		say(s.testResult, msg, true)
		return
	}
	if s.p.o.TestConnection == nil {
		say(s.testResult, "Deze balie kan de verbinding niet testen.", true)
		return
	}
	s.test.Disable()
	say(s.testResult, "Bezig met testen…", false)
	ctx, cancel := context.WithTimeout(s.p.ctx, testTimeout)
	var err error
	s.p.env.background(func() { err = s.p.o.TestConnection(ctx, gateway, token) }, func() {
		cancel()
		s.test.Enable()
		if err != nil {
			say(s.testResult, err.Error(), true)
			return
		}
		say(s.testResult, "Verbinding in orde", false)
	})
}

func idleLabel(d time.Duration) string {
	if d < 2*time.Minute || d%time.Minute != 0 {
		return strconv.Itoa(int(d/time.Second)) + " seconden"
	}
	return strconv.Itoa(int(d/time.Minute)) + " minuten"
}

// label is the name of key among choices, key itself if unknown.
func label(choices []Choice, key string) string {
	for _, c := range choices {
		if c.Key == key {
			return c.Label
		}
	}
	return key
}

// key is the key of the choice named label, "" if none.
func key(choices []Choice, label string) string {
	for _, c := range choices {
		if c.Label == label {
			return c.Key
		}
	}
	return ""
}
