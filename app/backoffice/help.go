package backoffice

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

// The visitors' calls for help, for the digital-support staff beside the
// kiosks: oldest first, with where and in which language. "Ik kom eraan"
// tells the visitor someone is on the way; "Afgehandeld" takes it off the
// list. The page reloads itself when a call comes in.

type helpView struct {
	Requests []helpRow
	Version  string
}

type helpRow struct {
	domain.HelpRequest
	Waiting int // minutes
}

func (s *Server) helpQueue() (helpView, error) {
	queue, err := s.opts.Store.HelpQueue()
	if err != nil {
		return helpView{}, err
	}
	now := s.opts.Now()
	v := helpView{}
	h := sha256.New()
	for _, r := range queue {
		v.Requests = append(v.Requests, helpRow{HelpRequest: r, Waiting: int(now.Sub(r.At) / time.Minute)})
		fmt.Fprintf(h, "%s|%s\n", r.ID, r.State)
	}
	v.Version = hex.EncodeToString(h.Sum(nil)[:8])
	return v, nil
}

func (s *Server) helpPage(w http.ResponseWriter, r *http.Request, sess *session) {
	v, err := s.helpQueue()
	if err != nil {
		s.failed(w, r, sess, err)
		return
	}
	s.render(w, r, sess, "help", page{Title: "Hulpvragen", Main: v})
}

func (s *Server) helpVersion(w http.ResponseWriter, r *http.Request, sess *session) {
	v, err := s.helpQueue()
	writeVersion(w, v.Version, err)
}

// answerHelp moves a call on: on the way, or handled.
func (s *Server) answerHelp(w http.ResponseWriter, r *http.Request, sess *session) {
	err := s.opts.Store.SetHelpState(r.PostFormValue("id"), domain.HelpState(r.PostFormValue("state")), sess.staff.Who())
	switch domain.CodeOf(err) {
	case "":
		http.Redirect(w, r, "/staff/help", http.StatusSeeOther)
	case domain.ENotFound, domain.EInvalid:
		w.WriteHeader(http.StatusUnprocessableEntity)
		s.render(w, r, sess, "message", page{Title: "Niet gelukt", Message: "Deze hulpvraag bestaat niet (meer)."})
	default:
		s.failed(w, r, sess, err)
	}
}
