package staffmode

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Panel is the staff mode: a left menu with the help calls, the settings
// and the health, and the way to book for someone or to leave.
type Panel struct {
	o       Options
	env     env
	ctx     context.Context // ends at Stop: calls in flight stop, the help ticker too
	stop    context.CancelFunc
	content fyne.CanvasObject

	help     *helpTab
	settings *settingsTab
	health   *healthTab

	menu  map[string]*widget.Button
	pages map[string]fyne.CanvasObject
	shown string
}

// The menu's entries.
const (
	pageHelp     = "Hulpvragen"
	pageSettings = "Instellingen"
	pageHealth   = "Toestand"
)

// NewPanel builds the staff panel, on the help calls. Call Stop when it
// is closed.
func NewPanel(o Options) *Panel {
	p := &Panel{o: o, env: newEnv(), menu: map[string]*widget.Button{}, pages: map[string]fyne.CanvasObject{}}
	p.ctx, p.stop = context.WithCancel(context.Background())
	p.help = newHelpTab(p)
	p.settings = newSettingsTab(p)
	p.health = newHealthTab(p)
	p.pages[pageHelp] = p.help.content
	p.pages[pageSettings] = p.settings.content
	p.pages[pageHealth] = p.health.content

	side := container.NewVBox(heading("Staff-modus"))
	for _, entry := range []struct {
		name string
		icon fyne.Resource
	}{{pageHelp, theme.HelpIcon()}, {pageSettings, theme.SettingsIcon()}, {pageHealth, theme.InfoIcon()}} {
		b, box := newButton(entry.name, entry.icon, func() { p.show(entry.name) })
		b.Alignment = widget.ButtonAlignLeading
		p.menu[entry.name] = b
		side.Add(box)
	}
	side.Add(layout.NewSpacer())
	if o.Book != nil {
		b, box := newButton("Afspraak maken voor iemand", theme.ContentAddIcon(), func() {
			p.Stop()
			o.Book()
		})
		b.Alignment = widget.ButtonAlignLeading
		side.Add(box)
	}
	b, box := newButton("Staff-modus sluiten", theme.LogoutIcon(), func() {
		p.Stop()
		if o.Close != nil {
			o.Close()
		}
	})
	b.Alignment = widget.ButtonAlignLeading
	side.Add(box)

	pages := container.NewStack(p.pages[pageHelp], p.pages[pageSettings], p.pages[pageHealth])
	p.content = container.NewBorder(nil, nil,
		container.NewHBox(sized(side, 300, 0), widget.NewSeparator()), nil,
		container.NewPadded(pages))
	p.show(pageHelp)
	p.help.start()
	return p
}

// Content is the panel to place in the window.
func (p *Panel) Content() fyne.CanvasObject { return p.content }

// Stop ends the panel's background work: the help list's refresh and any
// call in flight. Leaving the panel by its own buttons stops it too.
func (p *Panel) Stop() { p.stop() }

// show brings a page to the front; the health is checked at each view.
func (p *Panel) show(name string) {
	if name == pageHealth && p.shown != pageHealth {
		p.health.refresh()
	}
	p.shown = name
	for n, page := range p.pages {
		if n == name {
			page.Show()
		} else {
			page.Hide()
		}
		p.menu[n].Importance = widget.MediumImportance
		if n == name {
			p.menu[n].Importance = widget.HighImportance
		}
		p.menu[n].Refresh()
	}
}
