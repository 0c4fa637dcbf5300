package stats

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

var visitHeader = []string{
	"kiosk", "locatie", "start", "duur_seconden", "tot_afspraak_seconden",
	"taal", "thema", "afloop", "laatste_scherm", "met_hulp_van_personeel",
	"grotere_tekst", "hoog_contrast", "voorlezen", "score",
}

// WriteVisitsCSV writes one anonymous row per visit: no id, and the start
// only to the minute in loc (UTC when nil). Flags are 1/0 so a spreadsheet
// can sum them; an unmeasured time or a missing score is an empty cell, not
// a 0 that would drag averages down.
func WriteVisitsCSV(w io.Writer, visits []domain.Visit, loc *time.Location) error {
	if loc == nil {
		loc = time.UTC
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(visitHeader); err != nil {
		return err
	}
	row := make([]string, len(visitHeader))
	for i := range visits {
		v := &visits[i]
		row[0] = v.Device
		row[1] = v.Location
		row[2] = v.Start.In(loc).Format("2006-01-02 15:04")
		row[3] = strconv.Itoa(seconds(v.Duration))
		row[4] = ""
		if v.ToBook > 0 {
			row[4] = strconv.Itoa(seconds(v.ToBook))
		}
		row[5] = v.Language
		row[6] = v.Theme
		row[7] = string(v.Outcome)
		row[8] = v.LastScreen
		row[9] = flag(v.Assisted)
		row[10] = flag(v.LargerText)
		row[11] = flag(v.Contrast)
		row[12] = flag(v.ReadAloud)
		row[13] = ""
		if v.Score > 0 {
			row[13] = strconv.Itoa(v.Score)
		}
		if err := writeSafe(cw, row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// dayColumns are the day CSV's outcome columns, in domain.VisitOutcomes
// order.
var dayColumns = map[domain.VisitOutcome]string{
	domain.VisitBooked:    "afspraak_gemaakt",
	domain.VisitJoined:    "gesprek_gestart",
	domain.VisitHelp:      "hulp_gevraagd",
	domain.VisitAbandoned: "gestopt",
	domain.VisitTimedOut:  "tijd_verstreken",
}

// WriteDaysCSV writes the report's visits per day and outcome.
func WriteDaysCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	header := []string{"datum", "bezoeken"}
	for _, o := range domain.VisitOutcomes {
		name, ok := dayColumns[o]
		if !ok {
			name = string(o)
		}
		header = append(header, name)
	}
	if err := writeSafe(cw, header); err != nil {
		return err
	}
	for _, d := range r.ByDay {
		row := []string{d.Date, strconv.Itoa(d.Visits)}
		for _, oc := range d.ByOutcome {
			row = append(row, strconv.Itoa(oc.Visits))
		}
		if err := writeSafe(cw, row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// writeSafe writes a row with every cell defused: a spreadsheet runs a cell
// that starts with = + - @ (or a tab or carriage return, which some strip
// first) as a formula, and locations and screens are typed by staff.
func writeSafe(cw *csv.Writer, row []string) error {
	for i, c := range row {
		row[i] = defuse(c)
	}
	return cw.Write(row)
}

func defuse(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	return cell
}
