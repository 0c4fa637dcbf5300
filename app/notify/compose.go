package notify

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/icsfile"
	"github.com/digitalebalie/balie/app/mail"
	"github.com/digitalebalie/balie/app/sms"
	"github.com/digitalebalie/balie/i18n"
)

// Composer writes the e-mails and SMS: Dutch first, then the visitor's own
// language labelled as a translation (Flemish language law).
type Composer struct {
	// Catalog knows the city (i18n.Catalog.SetPlace): the mails name it
	// and its help line.
	Catalog  *i18n.Catalog
	Services []domain.Service
	// Installation is this gateway installation's random id, kept in its
	// data file (store.InstallationID). Every Message-ID and SMS reference
	// carries it, so two gateways never send the same one; without it the
	// Composer refuses to compose.
	Installation string
	// Organizer is the mail From, "Stad Gent <no-reply@stad.gent>": the
	// calendar files' ORGANIZER, so a calendar accepts the cancellation
	// from the same sender. Empty leaves the line out.
	Organizer string
}

// section is one language's part of an e-mail.
type section struct {
	Lang, Dir string
	Label     string // "Translation (Français)…", empty for the Dutch part
	Intro     string
	Facts     [][2]string
	Prepare   string
	Items     []string
	Links     []link
	Closing   []string
}

type link struct{ Text, URL string }

// languages are the languages of a message to a: Dutch, and the visitor's
// when it is another.
func languages(a domain.Appointment) []string { return i18n.DutchFirst(a.Language) }

func (c Composer) section(lang string, n domain.Notice, a domain.Appointment) section {
	cat := c.Catalog
	svc, _ := domain.FindService(c.Services, a.ServiceID)
	s := section{Lang: lang, Dir: "ltr"}
	if cat.Language(lang).RTL {
		s.Dir = "rtl"
	}
	if lang != i18n.Reference {
		s.Label = cat.T(lang, "MailTranslation", map[string]any{"Language": cat.Language(lang).Name})
	}
	s.Facts = [][2]string{
		{cat.T(lang, "ConfirmTheme", nil), svc.Name.In(lang)},
		{cat.T(lang, "ConfirmWhen", nil), c.when(lang, a.Start)},
		{cat.T(lang, "DoneCode", nil), a.Code},
	}
	help := cat.T(lang, "MailHelp", nil)
	if n.Kind == domain.NoticeCancelEmail {
		s.Intro = cat.T(lang, "MailCancelIntro", nil)
		s.Closing = []string{cat.T(lang, "MailCancelRebook", nil), cat.T(lang, "MailAutomatic", nil)}
		return s
	}
	s.Intro = cat.T(lang, "MailConfirmIntro", nil)
	if n.Kind == domain.NoticeMovedEmail {
		s.Intro = cat.T(lang, "MailMovedIntro", nil)
	}
	if a.Interpreter {
		name := i18n.NameIn(lang, a.InterpreterLanguage)
		if a.InterpreterLanguage == "und" {
			name = cat.T(lang, "InterpreterOtherLanguage", nil)
		}
		s.Intro += " " + cat.T(lang, "MailInterpreter", map[string]any{"Language": name})
	}
	s.Prepare = cat.T(lang, "FitPrepare", nil)
	s.Items = []string{cat.T(lang, "FitPrepareDevice", nil)}
	for _, p := range svc.Prepare {
		s.Items = append(s.Items, p.In(lang))
	}
	s.Links = []link{
		{cat.T(lang, "MailJoin", nil), a.JoinURL},
		{cat.T(lang, "MailPhonePage", nil), a.PhoneURL},
	}
	s.Closing = []string{cat.T(lang, "MailCalendar", nil), help, cat.T(lang, "MailAutomatic", nil)}
	return s
}

func (c Composer) when(lang string, t time.Time) string {
	return c.Catalog.T(lang, "ConfirmWhenValue", map[string]any{
		"Date": c.Catalog.Date(lang, t, domain.Brussels),
		"Time": c.Catalog.Time(lang, t, domain.Brussels),
	})
}

// Email writes the confirmation or cancellation e-mail of a. Both carry
// the appointment's calendar file: the confirmation's adds the event, the
// cancellation's (METHOD:CANCEL, same UID, higher SEQUENCE) takes it away.
func (c Composer) Email(n domain.Notice, a domain.Appointment, now time.Time) (mail.Message, error) {
	id, err := c.messageID(n)
	if err != nil {
		return mail.Message{}, err
	}
	subjectID := "MailConfirmSubject"
	if n.Kind == domain.NoticeMovedEmail {
		subjectID = "MailMovedSubject"
	}
	if n.Kind == domain.NoticeCancelEmail {
		subjectID = "MailCancelSubject"
		a.Cancelled = true // what the e-mail says, whatever was read
	}
	var subjects []string
	var sections []section
	for _, lang := range languages(a) {
		subjects = append(subjects, c.Catalog.T(lang, subjectID, map[string]any{"When": c.when(lang, a.Start)}))
		sections = append(sections, c.section(lang, n, a))
	}
	var text strings.Builder
	for i, s := range sections {
		if i > 0 {
			text.WriteString("\n----------------------------------------\n\n")
		}
		writeText(&text, s)
	}
	var html bytes.Buffer
	if err := page.Execute(&html, sections); err != nil {
		return mail.Message{}, fmt.Errorf("compose %s: %w", n.Kind, err)
	}
	return mail.Message{
		To:      a.Contact.Email,
		Subject: strings.Join(subjects, " / "),
		Text:    text.String(),
		HTML:    html.String(),
		ID:      id,
		Attachments: []mail.Attachment{{
			Name:        "afspraak-" + a.Code + ".ics",
			ContentType: icsfile.ContentType(a),
			Data:        c.calendar(a, now),
		}},
	}, nil
}

// calendar is the .ics the phone page also offers.
func (c Composer) calendar(a domain.Appointment, now time.Time) []byte {
	svc, _ := domain.FindService(c.Services, a.ServiceID)
	t := icsfile.NewTexts(c.Catalog, a.Language, a, svc)
	t.Organizer = c.Organizer
	return icsfile.Build(a, t, now)
}

func writeText(b *strings.Builder, s section) {
	if s.Label != "" {
		fmt.Fprintf(b, "%s\n\n", s.Label)
	}
	fmt.Fprintf(b, "%s\n\n", s.Intro)
	for _, f := range s.Facts {
		fmt.Fprintf(b, "%s: %s\n", f[0], f[1])
	}
	b.WriteString("\n")
	if s.Prepare != "" {
		fmt.Fprintf(b, "%s\n", s.Prepare)
		for _, it := range s.Items {
			fmt.Fprintf(b, "- %s\n", it)
		}
		b.WriteString("\n")
	}
	for _, l := range s.Links {
		if l.URL != "" {
			fmt.Fprintf(b, "%s\n%s\n\n", l.Text, l.URL)
		}
	}
	for _, line := range s.Closing {
		fmt.Fprintf(b, "%s\n", line)
	}
}

// page is the HTML part: plain and large, one block per language, each in
// its own direction. No images or scripts, which mail clients block anyway.
var page = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"></head>
<body style="font-family: sans-serif; font-size: 18px; line-height: 1.5; color: #1a1a1a; max-width: 40em;">
{{range $i, $s := .}}{{if $i}}<hr style="margin: 2em 0;">{{end}}
<div lang="{{$s.Lang}}" dir="{{$s.Dir}}">
{{if $s.Label}}<p style="color: #555555; font-style: italic;">{{$s.Label}}</p>{{end}}
<p style="font-size: 22px; font-weight: bold;">{{$s.Intro}}</p>
<table role="presentation" style="border-collapse: collapse;">{{range $s.Facts}}
<tr><td style="padding: 4px 8px;">{{index . 0}}</td><td style="padding: 4px 8px; font-weight: bold;">{{index . 1}}</td></tr>{{end}}
</table>
{{if $s.Prepare}}<p>{{$s.Prepare}}</p><ul>{{range $s.Items}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{range $s.Links}}{{if .URL}}<p>{{.Text}}<br><a href="{{.URL}}" style="color: #1f4e8c; font-weight: bold;">{{.URL}}</a></p>{{end}}{{end}}
{{range $s.Closing}}<p>{{.}}</p>{{end}}
</div>{{end}}
</body></html>
`))

// SMS writes a reminder: a short line in Dutch, one in the visitor's
// language when that is another, and the phone page's link on a line of its
// own, outside any translated sentence (a right-to-left message would wrap
// it in direction marks that a phone takes into the link). Nothing else
// personal. It fits in two SMS in every language (TestSMSFitsTwoParts).
func (c Composer) SMS(n domain.Notice, a domain.Appointment) (sms.Message, error) {
	id := "SmsReminderDay"
	if n.Kind == domain.NoticeSMSSoon {
		id = "SmsReminderSoon"
	}
	if a.Contact.Phone == "" {
		return sms.Message{}, fmt.Errorf("compose %s: no mobile number", n.Kind)
	}
	ref, err := c.messageID(n)
	if err != nil {
		return sms.Message{}, err
	}
	var lines []string
	for _, lang := range languages(a) {
		lines = append(lines, c.Catalog.T(lang, id, map[string]any{
			"Time": c.Catalog.Time(lang, a.Start, domain.Brussels),
		}))
	}
	if a.PhoneURL != "" {
		lines = append(lines, a.PhoneURL)
	}
	return sms.Message{To: a.Contact.Phone, Text: strings.Join(lines, "\n"), Ref: ref}, nil
}

// errNoInstallation says the Composer was made without Installation.
var errNoInstallation = errors.New("compose: no installation id: Message-IDs and SMS references would not be unique")

// messageID is stable per notice and unique across gateways:
// balie-<installation>-<kind>-<notice>. A message sent twice after a crash
// carries the same Message-ID or reference, so it can be recognised; two
// gateways, each counting its notices from 1, never share one. It is a valid
// Message-ID left part (RFC 5322 dot-atom-text) and SMS reference: only
// [A-Za-z0-9-], at most 73 characters.
func (c Composer) messageID(n domain.Notice) (string, error) {
	inst := installationTag(c.Installation)
	if inst == "" {
		return "", errNoInstallation
	}
	return fmt.Sprintf("balie-%s-%s-%d", inst, n.Kind, n.ID), nil
}

// installationTag is the installation's part of a messageID: the id itself
// when it is plain ([A-Za-z0-9-], at most 32 characters, not starting or
// ending in "-"), else 16 hex digits of its SHA-256, still unique and
// stable. Empty (or blank) stays empty.
func installationTag(id string) string {
	id = strings.TrimSpace(id)
	if id == "" {
		return ""
	}
	plain := len(id) <= 32 && !strings.HasPrefix(id, "-") && !strings.HasSuffix(id, "-")
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			plain = false
		}
	}
	if plain {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:8])
}
