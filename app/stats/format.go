package stats

import "strconv"

func axisNumber(v float64) string {
	if v != float64(int(v)) {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return number(int(v))
}

// number writes n the Flemish way, with a dot between thousands.
func number(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + number(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

func percent(f float64) string {
	return strconv.Itoa(int(f*100+0.5)) + "%"
}

var months = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli",
	"augustus", "september", "oktober", "november", "december"}

// shortDate turns 2006-01-02 into 2/1, as Flemish calendars write it.
func shortDate(date string) string {
	if len(date) != 10 {
		return date
	}
	d, _ := strconv.Atoi(date[8:])
	m, _ := strconv.Atoi(date[5:7])
	return strconv.Itoa(d) + "/" + strconv.Itoa(m)
}

// period names the report's first and last day in words.
func period(r Report) string {
	if len(r.ByDay) == 0 {
		return ""
	}
	first, last := longDate(r.ByDay[0].Date), longDate(r.ByDay[len(r.ByDay)-1].Date)
	if first == last {
		return first
	}
	return first + " – " + last
}

func longDate(date string) string {
	if len(date) != 10 {
		return date
	}
	d, _ := strconv.Atoi(date[8:])
	m, _ := strconv.Atoi(date[5:7])
	if m < 1 || m > 12 {
		return date
	}
	return strconv.Itoa(d) + " " + months[m-1] + " " + date[:4]
}
