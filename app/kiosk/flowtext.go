package kiosk

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/digitalebalie/balie/app/textflow"
	"github.com/digitalebalie/balie/assets"
)

// FlowText is a wrapping paragraph that reads right to left when its
// language does, with mixed Arabic and Latin (a code, a time, a name) in the
// right order. Fyne's own text widgets lay every line out left to right; see
// package textflow for why and how.
type FlowText struct {
	widget.BaseWidget
	Text     string
	RTL      bool // the paragraph's direction: right aligned, runs reordered
	Style    fyne.TextStyle
	TextSize float32 // the theme's when zero
	Color    color.Color
	Align    fyne.TextAlign // Leading follows the direction
	NoWrap   bool           // one line, as wide as the text: a short label in a row
}

// newFlowText builds a paragraph in the direction of its language.
func newFlowText(text string, rtl bool, style fyne.TextStyle) *FlowText {
	f := &FlowText{Text: text, RTL: rtl, Style: style}
	f.ExtendBaseWidget(f)
	return f
}

// CreateRenderer implements fyne.Widget.
func (f *FlowText) CreateRenderer() fyne.WidgetRenderer {
	return &flowRenderer{f: f, widths: map[piece]pieceSize{}, wrapped: map[wrapKey][]textflow.Line{}}
}

type piece struct {
	text string
	rtl  bool
}

type pieceSize struct {
	width, height, baseline float32
}

type flowRenderer struct {
	f       *FlowText
	objects []fyne.CanvasObject
	widths  map[piece]pieceSize // measured at textSize
	measure float32             // the text size widths were measured at
	wrapped map[wrapKey][]textflow.Line
}

func (r *flowRenderer) textSize() float32 {
	if r.f.TextSize > 0 {
		return r.f.TextSize
	}
	return theme.TextSize()
}

// size measures one piece in the font it is drawn with: Arabic script in
// the bundled Arabic font, everything else in the theme's.
func (r *flowRenderer) size(p piece) pieceSize {
	if r.measure != r.textSize() {
		r.widths, r.measure = map[piece]pieceSize{}, r.textSize()
	}
	if s, ok := r.widths[p]; ok {
		return s
	}
	sz, base := fyne.CurrentApp().Driver().RenderedTextSize(p.text, r.textSize(), r.f.Style, fontFor(p.rtl, r.f.Style))
	s := pieceSize{sz.Width, sz.Height, base}
	r.widths[p] = s
	return s
}

// fontFor is the font a piece is drawn in: Arabic script in the bundled
// Arabic font, everything else in Fyne's own Noto Sans, whichever font the
// theme puts first, so Latin looks the same on every screen.
func fontFor(rtl bool, style fyne.TextStyle) fyne.Resource {
	switch {
	case rtl:
		return assets.ArabicFont(style.Bold)
	case style.Bold && style.Italic:
		return theme.DefaultTextBoldItalicFont()
	case style.Bold:
		return theme.DefaultTextBoldFont()
	case style.Italic:
		return theme.DefaultTextItalicFont()
	}
	return theme.DefaultTextFont()
}

func (r *flowRenderer) lineWidth(l textflow.Line) float32 {
	var w float32
	for _, p := range l {
		w += r.size(piece{p.Text, p.RTL}).width
	}
	return w
}

// wrapKey is everything a layout depends on.
type wrapKey struct {
	text        string
	rtl         bool
	size, width float32
}

// wrap lays the text out for width; width ≤ 0 means one line per paragraph.
// Fyne asks for MinSize and Layout at the same width again and again, and
// each wrap runs the bidi algorithm per candidate line, so the last few
// layouts are kept.
func (r *flowRenderer) wrap(width float32) []textflow.Line {
	if width <= 0 {
		width = 1 << 20
	}
	key := wrapKey{r.f.Text, r.f.RTL, r.textSize(), width}
	if lines, ok := r.wrapped[key]; ok {
		return lines
	}
	measure := func(s string, _ bool) float32 { return r.lineWidth(textflow.Order(s, r.f.RTL)) }
	var lines []textflow.Line
	for _, l := range textflow.Wrap(r.f.Text, width, measure) {
		lines = append(lines, textflow.Order(l, r.f.RTL))
	}
	if len(r.wrapped) >= 4 { // a couple of widths per text: the window's and the narrowest
		clear(r.wrapped)
	}
	r.wrapped[key] = lines
	return lines
}

// metrics are the line height and baseline: the taller of the two fonts when
// the text mixes them, so every line has the same height.
func (r *flowRenderer) metrics() (height, baseline float32) {
	latin := r.size(piece{"Ag", false})
	height, baseline = latin.height, latin.baseline
	if textflow.HasRTL(r.f.Text) {
		arabic := r.size(piece{"لاً", true})
		height = max(height, arabic.height)
		baseline = max(baseline, arabic.baseline)
	}
	return height, baseline
}

func (r *flowRenderer) MinSize() fyne.Size {
	h, _ := r.metrics()
	if r.f.NoWrap {
		lines := r.wrap(0)
		var w float32
		for _, l := range lines {
			w = max(w, r.lineWidth(l))
		}
		return fyne.NewSize(w, h*float32(max(1, len(lines))))
	}
	lines := r.wrap(r.f.Size().Width)
	// As narrow as the widest word, as tall as the text at today's width.
	var widest float32
	for _, l := range r.wrap(1) {
		widest = max(widest, r.lineWidth(l))
	}
	return fyne.NewSize(widest, h*float32(max(1, len(lines))))
}

func (r *flowRenderer) Layout(size fyne.Size) {
	width := size.Width
	if r.f.NoWrap {
		width = 0
	}
	lines := r.wrap(width)
	h, baseline := r.metrics()
	col := r.f.Color
	if col == nil {
		col = theme.Color(theme.ColorNameForeground)
	}
	r.objects = r.objects[:0]
	for i, l := range lines {
		w := r.lineWidth(l)
		x := float32(0)
		switch {
		case r.f.Align == fyne.TextAlignCenter:
			x = (size.Width - w) / 2
		case (r.f.Align == fyne.TextAlignTrailing) != r.f.RTL:
			x = size.Width - w
		}
		for _, p := range l {
			s := r.size(piece{p.Text, p.RTL})
			t := canvas.NewText(p.Text, col)
			t.TextSize, t.TextStyle, t.FontSource = r.textSize(), r.f.Style, fontFor(p.RTL, r.f.Style)
			// Align each piece's baseline with the line's: the two fonts
			// put their baselines at different heights.
			t.Move(fyne.NewPos(x, float32(i)*h+baseline-s.baseline))
			t.Resize(fyne.NewSize(s.width, s.height))
			r.objects = append(r.objects, t)
			x += s.width
		}
	}
}

func (r *flowRenderer) Refresh() {
	r.Layout(r.f.Size())
	canvas.Refresh(r.f)
}

func (r *flowRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *flowRenderer) Destroy()                     {}
