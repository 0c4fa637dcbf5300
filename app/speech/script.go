package speech

import (
	"strings"
	"unicode/utf8"
)

// Line is one sentence of what a screen reads aloud.
type Line struct {
	Text string
	// Personal marks the visitor's own data (name, e-mail, phone, booking
	// code): read only when the visitor asked for it on this screen.
	Personal bool
}

// Script is what one screen reads aloud, in order. Building it with Add and
// AddPersonal puts the decision about personal data where the line is
// written, so the screen cannot leak it by forgetting later.
type Script struct {
	Lines []Line
}

// Add appends a line anyone nearby may hear: the screen's own text.
func (s *Script) Add(text string) *Script {
	s.Lines = append(s.Lines, Line{Text: text})
	return s
}

// AddPersonal appends a line with the visitor's own data.
func (s *Script) AddPersonal(text string) *Script {
	s.Lines = append(s.Lines, Line{Text: text, Personal: true})
	return s
}

// HasPersonal reports whether some line is personal, so the screen offers
// "also read my details" only where there are any.
func (s Script) HasPersonal() bool {
	for _, l := range s.Lines {
		if l.Personal && strings.TrimSpace(l.Text) != "" {
			return true
		}
	}
	return false
}

// Text is what to pass to Speak: the lines in order, personal ones only when
// includePersonal (the visitor asked on this screen). Each line is read as a
// sentence of its own, so a line without closing punctuation (a button's
// label, a name) gets a full stop and the voice pauses after it.
func (s Script) Text(includePersonal bool) string {
	var b strings.Builder
	for _, l := range s.Lines {
		if l.Personal && !includePersonal {
			continue
		}
		t := strings.TrimSpace(l.Text)
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(t)
		if r, _ := utf8.DecodeLastRuneInString(t); !strings.ContainsRune(sentenceEnds, r) {
			b.WriteByte('.')
		}
	}
	return b.String()
}

// sentenceEnds are the marks after which a voice already pauses, in the
// offered scripts (Arabic-script languages have their own question mark,
// semicolon and full stop).
const sentenceEnds = ".!?…:;؟؛۔"
