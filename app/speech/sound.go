package speech

import (
	"os"
	"strings"
)

// soundCards tells whether an ALSA card list (/proc/asound/cards) names a
// card. The file is missing without ALSA, and says "--- no soundcards ---"
// when ALSA has none.
func soundCards(path string) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	s := strings.TrimSpace(string(b))
	return s != "" && !strings.Contains(s, "no soundcards")
}
