package speech

import "testing"

func TestScriptText(t *testing.T) {
	confirm := Script{Lines: []Line{
		{Text: "Uw afspraak is bevestigd"},
		{Text: "Jan Peeters", Personal: true},
		{Text: "  "},
		{Text: "Dinsdag 14 mei om 10 uur."},
		{Text: "jan@example.be", Personal: true},
		{Text: "Wilt u nog iets doen?"},
	}}
	for _, tc := range []struct {
		name     string
		script   Script
		personal bool
		want     string
	}{
		{"personal left out", confirm, false, "Uw afspraak is bevestigd.\nDinsdag 14 mei om 10 uur.\nWilt u nog iets doen?"},
		{"personal asked for", confirm, true, "Uw afspraak is bevestigd.\nJan Peeters.\nDinsdag 14 mei om 10 uur.\njan@example.be.\nWilt u nog iets doen?"},
		{"empty", Script{}, true, ""},
		{"only personal, not asked", Script{Lines: []Line{{Text: "Jan", Personal: true}}}, false, ""},
		{"Arabic question mark kept", Script{Lines: []Line{{Text: "ماذا تريد أن تفعل؟"}}}, false, "ماذا تريد أن تفعل؟"},
		{"Arabic label gets a stop", Script{Lines: []Line{{Text: "احجز موعدا"}}}, false, "احجز موعدا."},
		{"colon kept", Script{Lines: []Line{{Text: "Uw code:"}, {Text: "K7Q2", Personal: true}}}, true, "Uw code:\nK7Q2."},
		{"bracket gets a stop", Script{Lines: []Line{{Text: "Tolk (gratis)"}}}, false, "Tolk (gratis)."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.script.Text(tc.personal); got != tc.want {
				t.Errorf("Text(%v) = %q, want %q", tc.personal, got, tc.want)
			}
		})
	}
}

func TestScriptBuilders(t *testing.T) {
	var s Script
	if s.HasPersonal() {
		t.Error("empty script has personal lines")
	}
	s.Add("Kies een dag").AddPersonal("Jan Peeters").AddPersonal(" ")
	want := []Line{{Text: "Kies een dag"}, {Text: "Jan Peeters", Personal: true}, {Text: " ", Personal: true}}
	if len(s.Lines) != len(want) {
		t.Fatalf("lines = %#v", s.Lines)
	}
	for i := range want {
		if s.Lines[i] != want[i] {
			t.Errorf("line %d = %#v, want %#v", i, s.Lines[i], want[i])
		}
	}
	if !s.HasPersonal() {
		t.Error("HasPersonal = false with a name in it")
	}
	blank := Script{Lines: []Line{{Text: "Kies"}, {Text: " ", Personal: true}}}
	if blank.HasPersonal() {
		t.Error("a blank personal line counts as personal data")
	}
}
