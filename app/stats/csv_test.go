package stats

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v\n%s", err, b)
	}
	return rows
}

func TestWriteVisitsCSV(t *testing.T) {
	loc := brussels(t)
	visits := fleet(loc)
	visits[0].ID = "secret-id-123"
	visits[0].Location = `Stadhuis, "Grote" zaal` // quotes and a comma survive
	visits[1].Location = "=HYPERLINK(\"http://x\")"
	visits[2].LastScreen = "+cmd"
	visits[3].Device = "-2+3"
	visits[4].Theme = "@SUM(A1)"
	visits[5].Language = "\tnl"
	visits[6].Location = "Zuid\nafdeling 2" // a line break inside a cell

	var buf bytes.Buffer
	if err := WriteVisitsCSV(&buf, visits, loc); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "secret-id-123") {
		t.Error("the visit id leaked into the CSV")
	}
	rows := readCSV(t, buf.Bytes())
	if len(rows) != len(visits)+1 {
		t.Fatalf("%d rows, want %d", len(rows), len(visits)+1)
	}
	if strings.Join(rows[0], ",") != strings.Join(visitHeader, ",") {
		t.Errorf("header = %v", rows[0])
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	tests := []struct {
		row  int
		col  string
		want string
	}{
		{1, "kiosk", "k1"},
		{1, "locatie", `Stadhuis, "Grote" zaal`},
		{1, "start", "2026-03-02 09:00"}, // local time, to the minute
		{1, "duur_seconden", "100"},
		{1, "tot_afspraak_seconden", "60"},
		{1, "afloop", "booked"},
		{1, "grotere_tekst", "1"},
		{1, "hoog_contrast", "0"},
		{1, "score", "5"},
		{2, "met_hulp_van_personeel", "1"},
		{2, "locatie", "'=HYPERLINK(\"http://x\")"},
		{3, "laatste_scherm", "'+cmd"},
		{3, "tot_afspraak_seconden", ""}, // booked but not measured
		{3, "score", ""},                 // no rating is not a 0
		{4, "kiosk", "'-2+3"},
		{5, "thema", "'@SUM(A1)"},
		{6, "taal", "'\tnl"},
		{7, "locatie", "Zuid\nafdeling 2"},
	}
	for _, tt := range tests {
		if got := rows[tt.row][col[tt.col]]; got != tt.want {
			t.Errorf("row %d %s = %q, want %q", tt.row, tt.col, got, tt.want)
		}
	}
}

func TestWriteVisitsCSVEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteVisitsCSV(&buf, nil, nil); err != nil {
		t.Fatal(err)
	}
	if rows := readCSV(t, buf.Bytes()); len(rows) != 1 {
		t.Errorf("want only the header, got %v", rows)
	}
}

func TestDefuse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""}, {"Stadhuis", "Stadhuis"}, {"=1+1", "'=1+1"}, {"+32 9 123", "'+32 9 123"},
		{"-1", "'-1"}, {"@x", "'@x"}, {"\rx", "'\rx"}, {"a=b", "a=b"}, {"'=x", "'=x"},
	}
	for _, tt := range tests {
		if got := defuse(tt.in); got != tt.want {
			t.Errorf("defuse(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriteDaysCSV(t *testing.T) {
	loc := brussels(t)
	r := Summarize(fleet(loc), at(loc, 2026, 3, 2, 0, 0), at(loc, 2026, 3, 5, 0, 0), loc)
	var buf bytes.Buffer
	if err := WriteDaysCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"datum", "bezoeken", "afspraak_gemaakt", "gesprek_gestart", "hulp_gevraagd", "gestopt", "tijd_verstreken"},
		{"2026-03-02", "2", "2", "0", "0", "0", "0"},
		{"2026-03-03", "2", "1", "0", "0", "1", "0"},
		{"2026-03-04", "1", "0", "0", "0", "0", "1"},
	}
	rows := readCSV(t, buf.Bytes())
	if len(rows) != len(want) {
		t.Fatalf("rows = %v", rows)
	}
	for i := range want {
		if strings.Join(rows[i], ",") != strings.Join(want[i], ",") {
			t.Errorf("row %d = %v, want %v", i, rows[i], want[i])
		}
	}
}
