package kiosk

import (
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/digitalebalie/balie/app/textflow"
)

// MinTarget is the smallest height of anything a visitor taps, at the
// default text size.
const MinTarget = 64

// baseTextSize is the theme's body text size at scale 1.
const baseTextSize = 22

// scaled grows a size in pixels with the visitor's text size, so icons and
// drawings keep their proportion to the text around them.
func scaled(px float32) float32 {
	return px * theme.Size(theme.SizeNameText) / baseTextSize
}

// Choice is a big tappable card: an optional icon, a bold title and an
// optional plain sentence under it. A real Button underneath gives it focus,
// keyboard activation and hover for free.
type Choice struct {
	widget.BaseWidget
	Title    string
	Hint     string
	Icon     fyne.Resource
	OnTapped func()
	// TextSize fixes the title's size in pixels, whatever the visitor's
	// text size: the text-size bar keeps its place under the finger.
	// Zero follows the theme.
	TextSize float32

	button   *Button
	disabled bool
}

// Disable greys the card out and makes it ignore taps.
func (c *Choice) Disable() {
	c.disabled = true
	if c.button != nil {
		c.button.Disable()
	}
	c.Refresh()
}

// Disabled tells whether the card ignores taps.
func (c *Choice) Disabled() bool { return c.disabled }

// NewChoice returns a choice card.
func NewChoice(title, hint string, icon fyne.Resource, tapped func()) *Choice {
	c := &Choice{Title: title, Hint: hint, Icon: icon, OnTapped: tapped}
	c.ExtendBaseWidget(c)
	return c
}

// Tapped lets tests and assistive tools activate the card as a whole.
func (c *Choice) Tapped(*fyne.PointEvent) {
	if c.OnTapped != nil && !c.disabled {
		c.OnTapped()
	}
}

func (c *Choice) CreateRenderer() fyne.WidgetRenderer {
	c.button = NewButton("", nil, func() { c.Tapped(nil) })
	if c.disabled {
		c.button.Disable()
	}
	text := tight(strong(c.Title))
	iconSize := scaled(56)
	if c.TextSize > 0 {
		title := newFlowText(c.Title, textflow.HasRTL(c.Title), fyne.TextStyle{Bold: true})
		title.TextSize, title.Color, title.NoWrap = c.TextSize, theme.Color(theme.ColorNameForeground), true
		if c.disabled {
			title.Color = theme.Color(theme.ColorNameDisabled)
		}
		text, iconSize = tight(padded(title)), c.TextSize*1.4
	}
	if c.Hint != "" {
		text.Add(paragraph(c.Hint))
	}
	var body fyne.CanvasObject = text
	if c.Icon != nil {
		// The icon leads: on the left, or on the right in a right-to-left
		// language.
		icon := container.NewGridWrap(fyne.NewSquareSize(iconSize), NewIcon(c.Icon))
		if textflow.HasRTL(c.Title) {
			body = container.NewBorder(nil, nil, nil, icon, text)
		} else {
			body = container.NewBorder(nil, nil, icon, nil, text)
		}
	}
	pad := container.New(layout.NewCustomPaddedLayout(6, 6, 10, 10), body)
	height := float32(MinTarget + 8)
	if c.TextSize > 0 { // one short line: a button's height
		height = MinTarget
	}
	return widget.NewSimpleRenderer(container.New(card{height}, c.button, pad))
}

// tight stacks texts that belong together, a title and its sentence, without
// a gap beyond the text's own padding.
func tight(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(layout.NewCustomPaddedVBoxLayout(-theme.InnerPadding()), objs...)
}

// tickCard is a yes/no choice as a full-size card with a tick box.
func tickCard(label string, on bool, toggle func()) *Choice {
	icon := theme.CheckButtonIcon()
	if on {
		icon = theme.CheckButtonCheckedIcon()
	}
	return NewChoice(label, "", icon, toggle)
}

// card lays a choice out: the button behind fills it, and its size is the
// content's, never lower than h. The empty button's own height, which
// grows with the theme's text, does not count: a card with a fixed text
// size keeps its size.
type card struct{ h float32 }

func (c card) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := objs[1].MinSize()
	s.Height = max(s.Height, c.h)
	return s
}

func (c card) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	layout.NewStackLayout().Layout(objs, size)
}

// Button is a Fyne button that is never lower than MinTarget, and shows a
// thick ring when it has the keyboard focus.
type Button struct {
	widget.Button
	focused bool
}

// NewButton returns a tall button with a label and an optional icon.
func NewButton(label string, icon fyne.Resource, tapped func()) *Button {
	b := &Button{Button: widget.Button{Text: label, Icon: icon, OnTapped: tapped}}
	b.ExtendBaseWidget(b)
	return b
}

func (b *Button) MinSize() fyne.Size {
	s := b.Button.MinSize()
	s.Height = max(s.Height, MinTarget)
	return s
}

// FocusGained shows the focus ring.
func (b *Button) FocusGained() {
	b.focused = true
	b.Button.FocusGained()
}

// FocusLost hides the focus ring.
func (b *Button) FocusLost() {
	b.focused = false
	b.Button.FocusLost()
}

// TypedKey presses the button with Space, as Fyne does, and also with
// Enter, which keyboard users of a kiosk expect.
func (b *Button) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		b.Tapped(nil)
	default:
		b.Button.TypedKey(ev)
	}
}

// CreateRenderer adds the focus ring to Fyne's button.
func (b *Button) CreateRenderer() fyne.WidgetRenderer {
	ring := canvas.NewRectangle(color.Transparent)
	ring.StrokeWidth = focusRingWidth
	ring.CornerRadius = theme.InputRadiusSize()
	ring.Hide()
	edge := canvas.NewRectangle(color.Transparent)
	edge.StrokeWidth = edgeWidth
	edge.CornerRadius = theme.InputRadiusSize()
	r := &focusRenderer{WidgetRenderer: b.Button.CreateRenderer(), ring: ring, edge: edge, b: b}
	r.paint()
	return r
}

// edgeWidth outlines a light button or card (WCAG 1.4.11: 3:1 against the
// page); the primary button's own fill already stands out.
const edgeWidth = 2

// focusRingWidth and focusRingGap: the ring is drawn just outside the
// button, so it contrasts with the page behind, not the button's colour.
const (
	focusRingWidth = 4
	focusRingGap   = 3
)

type focusRenderer struct {
	fyne.WidgetRenderer
	ring, edge *canvas.Rectangle
	b          *Button
}

func (r *focusRenderer) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	r.edge.Move(fyne.NewPos(0, 0))
	r.edge.Resize(size)
	out := float32(focusRingGap + focusRingWidth/2)
	r.ring.Move(fyne.NewPos(-out, -out))
	r.ring.Resize(size.AddWidthHeight(2*out, 2*out))
}

func (r *focusRenderer) Objects() []fyne.CanvasObject {
	return append(r.WidgetRenderer.Objects(), r.edge, r.ring)
}

func (r *focusRenderer) Refresh() {
	r.paint()
	r.WidgetRenderer.Refresh()
	r.edge.Refresh()
	r.ring.Refresh()
}

// paint gives the ring and the edge the palette's colours, from the start.
func (r *focusRenderer) paint() {
	r.ring.StrokeColor = current().focus
	r.ring.Hidden = !r.b.focused
	r.edge.StrokeColor = current().edge
	r.edge.Hidden = r.b.Importance == widget.HighImportance
}

// primaryButton is the one action that moves the visitor forward.
func primaryButton(label string, icon fyne.Resource, tapped func()) *Button {
	b := NewButton(label, icon, tapped)
	b.Importance = widget.HighImportance
	return b
}

// TextField is a one-line Fyne entry that is never lower than MinTarget.
//
// (A container.ThemeOverride with more padding would centre its text, but
// Fyne 2.8 caches parsed fonts per override scope and never frees them:
// tens of MB per screen drawn.)
type TextField struct {
	widget.Entry
	page *pageScroll // the screen's scrolling area, set when it is drawn
}

// CreateRenderer lays a cover over Fyne's entry that passes a finger's drag
// and the wheel on to the page: the entry would select text with the drag,
// and scroll its own one line sideways with the wheel. Taps, the mouse
// buttons and the keyboard still reach the entry.
func (e *TextField) CreateRenderer() fyne.WidgetRenderer {
	w := &wheel{field: e}
	w.ExtendBaseWidget(w)
	return &fieldRenderer{WidgetRenderer: e.Entry.CreateRenderer(), wheel: w}
}

type fieldRenderer struct {
	fyne.WidgetRenderer
	wheel *wheel
}

func (r *fieldRenderer) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	r.wheel.Move(fyne.NewPos(0, 0))
	r.wheel.Resize(size)
}

func (r *fieldRenderer) Objects() []fyne.CanvasObject {
	return append(r.WidgetRenderer.Objects(), r.wheel)
}

// wheel passes drags and the wheel over a text field on to the page. It
// is only Scrollable and Draggable, which Fyne's drivers ask of an object
// only for a drag or the wheel: taps and the mouse reach the field under it.
type wheel struct {
	widget.BaseWidget
	field *TextField
}

func (w *wheel) Scrolled(ev *fyne.ScrollEvent) {
	if w.field.page != nil {
		w.field.page.scroll.Scrolled(ev)
	}
}

func (w *wheel) Dragged(ev *fyne.DragEvent) {
	if w.field.page != nil {
		w.field.page.Dragged(ev)
	}
}

func (w *wheel) DragEnd() {}

func (w *wheel) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}

// NewTextField returns a tall entry.
func NewTextField() *TextField {
	e := &TextField{}
	e.ExtendBaseWidget(e)
	return e
}

func (e *TextField) MinSize() fyne.Size {
	s := e.Entry.MinSize()
	s.Height = max(s.Height, MinTarget)
	return s
}

// wrappedText is one run of text in one style, wrapped at word boundaries.
// Text in Arabic script is laid out right to left by FlowText, which also
// puts a code or a time inside it in the right order.
func wrappedText(text string, style widget.RichTextStyle) fyne.CanvasObject {
	if textflow.HasRTL(text) {
		return rightToLeft(text, style)
	}
	r := widget.NewRichText(&widget.TextSegment{Text: text, Style: style})
	r.Wrapping = fyne.TextWrapWord
	return r
}

// label is one short line that does not wrap, sized to its text, for a row
// of things side by side.
func label(text string, style widget.RichTextStyle) fyne.CanvasObject {
	if textflow.HasRTL(text) {
		f := styledFlow(text, style)
		f.NoWrap = true
		return padded(f)
	}
	return widget.NewRichText(&widget.TextSegment{Text: text, Style: style})
}

// rightToLeft is wrapped text in a right-to-left paragraph, whatever its
// script: a time or a Latin name on an Arabic screen sits on the right too.
func rightToLeft(text string, style widget.RichTextStyle) fyne.CanvasObject {
	return padded(styledFlow(text, style))
}

// styledFlow is a right-to-left FlowText in a rich-text style's size and
// colour.
func styledFlow(text string, style widget.RichTextStyle) *FlowText {
	size := theme.TextSize()
	if style.SizeName != "" {
		size = theme.Size(style.SizeName)
	}
	colorName := style.ColorName
	if colorName == "" {
		colorName = theme.ColorNameForeground
	}
	f := newFlowText(text, true, style.TextStyle)
	f.TextSize, f.Color, f.Align = size, theme.Color(colorName), style.Alignment
	return f
}

// padded gives FlowText the inner padding of Fyne's own text widgets, so
// both line up.
func padded(f *FlowText) fyne.CanvasObject {
	p := theme.InnerPadding()
	return container.New(layout.NewCustomPaddedLayout(p/2, p/2, p, p), f)
}

// heading is a screen's question, large and wrapped.
func heading(text string) fyne.CanvasObject {
	return wrappedText(text, widget.RichTextStyle{
		SizeName: theme.SizeNameHeadingText, TextStyle: fyne.TextStyle{Bold: true},
	})
}

// dutchLine repeats the question in Dutch, smaller, for a visitor using
// another language: Flemish language law, and the helper reads along.
// Under a right-to-left question it sits on the right, under its start.
func dutchLine(text string, underRTL bool) fyne.CanvasObject {
	align := fyne.TextAlignLeading
	if underRTL {
		align = fyne.TextAlignTrailing
	}
	return wrappedText(text, widget.RichTextStyle{
		SizeName: theme.SizeNameCaptionText, ColorName: theme.ColorNamePlaceHolder, TextStyle: fyne.TextStyle{Italic: true},
		Alignment: align,
	})
}

// paragraph is wrapped body text.
func paragraph(text string) fyne.CanvasObject {
	return wrappedText(text, widget.RichTextStyle{Inline: true})
}

// example shows what to type, in italics above its field rather than as
// the field's placeholder: a placeholder can pass for typed data, and a
// field lays its text out left to right even in Arabic.
func example(text string) fyne.CanvasObject {
	return wrappedText(text, widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Italic: true}})
}

// strong is wrapped bold text, for the things that matter most.
func strong(text string) fyne.CanvasObject {
	return wrappedText(text, widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Bold: true}})
}

// errorText is a refusal the visitor must act on, in the error colour.
func errorText(text string) fyne.CanvasObject {
	return wrappedText(text, widget.RichTextStyle{
		ColorName: theme.ColorNameError, TextStyle: fyne.TextStyle{Bold: true},
	})
}

// banner is a full-width coloured strip with centred text.
// Banners are light in every palette, so their text is always dark; that
// takes FlowText, as Fyne's labels follow the theme's text colour.
func banner(text string, bg color.Color) fyne.CanvasObject {
	f := newFlowText(text, textflow.HasRTL(text), fyne.TextStyle{Bold: true})
	f.Color, f.Align = current().bannerText, fyne.TextAlignCenter
	return container.NewStack(canvas.NewRectangle(bg), padded(f))
}

// stepDots draws the step indicator: a filled dot per step done, a ring for
// the rest.
// Right to left, progress fills from the right.
func stepDots(step, total int, rtl bool) fyne.CanvasObject {
	row := container.NewHBox()
	for i := 1; i <= total; i++ {
		c := canvas.NewCircle(color.Transparent)
		c.StrokeColor = current().primary
		c.StrokeWidth = 3
		if i <= step {
			c.FillColor = current().primary
		}
		row.Add(container.NewGridWrap(fyne.NewSquareSize(scaled(18)), c))
	}
	if rtl {
		slices.Reverse(row.Objects)
	}
	return row
}

// mirrored lays out like its inner layout, then flips every object left to
// right: a grid of cards or a row of buttons for a right-to-left language,
// where the first choice belongs at the top right.
type mirrored struct{ inner fyne.Layout }

func (m mirrored) MinSize(objs []fyne.CanvasObject) fyne.Size { return m.inner.MinSize(objs) }

func (m mirrored) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	m.inner.Layout(objs, size)
	for _, o := range objs {
		p := o.Position()
		o.Move(fyne.NewPos(size.Width-p.X-o.Size().Width, p.Y))
	}
}

// grid is a grid of cols columns in the visitor's reading direction.
func (k *Kiosk) grid(cols int, objs ...fyne.CanvasObject) *fyne.Container {
	var l fyne.Layout = layout.NewGridLayoutWithColumns(cols)
	if k.rtl() {
		l = mirrored{l}
	}
	return container.New(l, objs...)
}
