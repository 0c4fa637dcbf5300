package i18n

import (
	"os"
	"regexp"
	"testing"
)

// No message takes a link. In a right-to-left language T wraps every
// left-to-right value in direction isolates, and a phone's link detector
// takes the closing U+2069 into the link; so links go on a line of their
// own, outside any message (the SMS, the calendar file, the e-mails).
func TestNoMessageTakesALink(t *testing.T) {
	link := regexp.MustCompile(`(?i)\{\{\s*\.(url|link|href|[a-z]*(url|link))\s*\}\}|https?://`)
	for _, l := range Offered {
		data, err := os.ReadFile("active." + l.Tag + ".toml")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllString(string(data), -1) {
			t.Errorf("%s: a message takes a link: %s", l.Tag, m)
		}
	}
}
