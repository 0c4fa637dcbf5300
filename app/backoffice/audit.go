package backoffice

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/store"
)

// auditDays is how far back the audit page looks by default.
const auditDays = 30

type auditView struct {
	Entries []store.AuditEntry
	Days    int
}

func (s *Server) auditEntries() ([]store.AuditEntry, error) {
	return s.opts.Store.Audit(s.opts.Now().AddDate(0, 0, -auditDays))
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, sess *session) {
	entries, err := s.auditEntries()
	if err != nil {
		s.failed(w, r, sess, err)
		return
	}
	// Newest first: what the privacy officer looks for is mostly recent.
	for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
		entries[i], entries[j] = entries[j], entries[i]
	}
	s.render(w, r, sess, "audit", page{Title: "Auditlog", Main: auditView{Entries: entries, Days: auditDays}})
}

// auditCSV exports the log; the export itself is logged.
func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request, sess *session) {
	entries, err := s.auditEntries()
	if err != nil {
		s.failed(w, r, sess, err)
		return
	}
	s.opts.Store.Record(sess.staff.Who(), store.AuditAuditExported, "", "")
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="auditlog.csv"`)
	out := csv.NewWriter(w)
	out.Write([]string{"volgnummer", "tijdstip", "wie", "actie", "afspraak", "detail"})
	for _, e := range entries {
		out.Write([]string{
			strconv.FormatUint(e.Seq, 10), e.At.In(domain.Brussels).Format(time.DateTime), cell(e.Who), e.Action, e.Code, cell(e.Detail),
		})
	}
	out.Flush()
}

// cell keeps a spreadsheet from reading a value as a formula.
func cell(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}

// actionNames say in Dutch what an audit entry records; the CSV keeps the
// stable ids, for tools.
var actionNames = map[string]string{
	store.AuditSignIn:        "aangemeld",
	store.AuditSignInFailed:  "aanmelden mislukt",
	store.AuditViewContact:   "contactgegevens bekeken",
	store.AuditOutcome:       "uitkomst",
	store.AuditBook:          "geboekt",
	store.AuditMove:          "verplaatst",
	store.AuditCancel:        "geannuleerd",
	store.AuditCapacity:      "capaciteit gewijzigd",
	store.AuditFeedCreated:   "agenda-abonnement gemaakt",
	store.AuditFeedRevoked:   "agenda-abonnement ingetrokken",
	store.AuditStaffChanged:  "account gewijzigd",
	store.AuditAuditExported: "auditlog gedownload",
	store.AuditResearchRead:  "evaluatiecontacten bekeken",
	store.AuditResearchCSV:   "evaluatiecontacten gedownload",
	"help-on-the-way":        "hulpvraag: komt eraan",
	"help-handled":           "hulpvraag afgehandeld",
}

func actionName(a string) string {
	if n, ok := actionNames[a]; ok {
		return n
	}
	return a
}
