package backoffice

import (
	"encoding/csv"
	"net/http"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/store"
)

// The contacts of visitors who agreed, with their booking, that the city
// may ask them later about the service: only the research role sees them,
// each view and export is in the audit log, and each contact goes at the
// end of its own retention.

type researchView struct {
	Contacts []domain.ResearchContact
}

func (s *Server) researchPage(w http.ResponseWriter, r *http.Request, sess *session) {
	list, err := s.opts.Store.ResearchContacts()
	if err != nil {
		s.failed(w, r, sess, err)
		return
	}
	s.opts.Store.Record(sess.staff.Who(), store.AuditResearchRead, "", "")
	s.render(w, r, sess, "research", page{Title: "Evaluatie", Main: researchView{Contacts: list}})
}

func (s *Server) researchCSV(w http.ResponseWriter, r *http.Request, sess *session) {
	list, err := s.opts.Store.ResearchContacts()
	if err != nil {
		s.failed(w, r, sess, err)
		return
	}
	s.opts.Store.Record(sess.staff.Who(), store.AuditResearchCSV, "", "")
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="evaluatiecontacten.csv"`)
	out := csv.NewWriter(w)
	out.Write([]string{"toestemming_op", "taal", "thema", "naam", "email", "gsm", "bewaard_tot"})
	for _, c := range list {
		out.Write([]string{c.At.In(domain.Brussels).Format(time.DateTime), c.Language, c.ServiceID,
			cell(c.Contact.Name), cell(c.Contact.Email), cell(c.Contact.Phone), c.Until.In(domain.Brussels).Format(time.DateOnly)})
	}
	out.Flush()
}
