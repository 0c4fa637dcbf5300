package speech

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// logBuffer collects log lines at every level.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) count() int { return strings.Count(b.String(), "\n") }

// check wants warns lines at Warn mentioning reason, the rest at Debug, and
// never the spoken text.
func (b *logBuffer) check(t *testing.T, warns int, reason string) {
	t.Helper()
	s := b.String()
	if got := strings.Count(s, "level=WARN"); got != warns {
		t.Errorf("%d warnings, want %d:\n%s", got, warns, s)
	}
	if strings.Count(s, "level=WARN")+strings.Count(s, "level=DEBUG") != b.count() {
		t.Errorf("lines at other levels:\n%s", s)
	}
	if !strings.Contains(s, reason) {
		t.Errorf("log does not say %q:\n%s", reason, s)
	}
	for _, part := range strings.FieldsFunc(secret, func(r rune) bool { return r == ',' || r == ' ' }) {
		if len(part) > 2 && strings.Contains(s, part) {
			t.Errorf("the spoken text (%q) is in the log:\n%s", part, s)
		}
	}
}
