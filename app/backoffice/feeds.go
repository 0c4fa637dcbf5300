package backoffice

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/feed"
	"github.com/digitalebalie/balie/app/store"
)

// Calendar feeds: a secret iCalendar URL per theme, or for the themes of
// one member of staff, to subscribe to in Outlook. The data file keeps only
// a hash of the secret; the URL is shown once, and revoked from here.

// feedWindow is what a feed holds: the past week and what is to come.
const (
	feedPast   = 7 * 24 * time.Hour
	feedFuture = 61 * 24 * time.Hour
)

type feedsView struct {
	Feeds  []store.Feed
	Themes []domain.Service
	New    string // the URL just made, shown once
	Base   string
}

func secretHash(secret string) string {
	sum := sha256.Sum256([]byte("balie-feed\x00" + secret))
	return hex.EncodeToString(sum[:])
}

func (s *Server) feedsPage(w http.ResponseWriter, r *http.Request, sess *session) {
	s.showFeeds(w, r, sess, "")
}

func (s *Server) showFeeds(w http.ResponseWriter, r *http.Request, sess *session, made string) {
	owner := sess.staff.Who()
	if sess.staff.Role == RoleAdmin {
		owner = "" // an admin sees and revokes every feed
	}
	feeds, err := s.opts.Store.Feeds(owner)
	if err != nil {
		s.failed(w, r, sess, err)
		return
	}
	s.render(w, r, sess, "feeds", page{Title: "Agenda-abonnementen", Main: feedsView{
		Feeds: feeds, Themes: s.themes(r.Context(), sess), New: made, Base: s.opts.FeedBase,
	}})
}

// makeFeed makes a feed of one theme, or of all of sess's themes.
func (s *Server) makeFeed(w http.ResponseWriter, r *http.Request, sess *session) {
	themes := s.themes(r.Context(), sess)
	var ids []string
	name := "Digitale Balie – " + sess.staff.Name
	if want := r.PostFormValue("theme"); want != "" {
		i := slices.IndexFunc(themes, func(t domain.Service) bool { return t.ID == want })
		if i < 0 {
			s.forbidden(w, r, sess)
			return
		}
		ids, name = []string{want}, "Digitale Balie – "+themes[i].Name.In("nl")
	} else {
		for _, t := range themes {
			ids = append(ids, t.ID)
		}
	}
	secret := feed.Token()
	f := store.Feed{ID: feed.Token()[:10], Owner: sess.staff.Who(), Themes: ids, Name: name, CreatedAt: s.opts.Now()}
	if err := s.opts.Store.PutFeed(secretHash(secret), f); err != nil {
		s.failed(w, r, sess, err)
		return
	}
	s.showFeeds(w, r, sess, strings.TrimRight(s.opts.FeedBase, "/")+"/feed/"+secret+".ics")
}

func (s *Server) revokeFeed(w http.ResponseWriter, r *http.Request, sess *session) {
	id := r.PostFormValue("id")
	feeds, err := s.opts.Store.Feeds("")
	if err != nil {
		s.failed(w, r, sess, err)
		return
	}
	i := slices.IndexFunc(feeds, func(f store.Feed) bool { return f.ID == id })
	if i < 0 || (sess.staff.Role != RoleAdmin && feeds[i].Owner != sess.staff.Who()) {
		s.forbidden(w, r, sess)
		return
	}
	if err := s.opts.Store.RevokeFeed(id, sess.staff.Who()); err != nil {
		s.failed(w, r, sess, err)
		return
	}
	http.Redirect(w, r, "/staff/feeds", http.StatusSeeOther)
}

// FeedHandler serves /feed/{secret}.ics: the appointments of a feed's
// themes, without contact details. It belongs on the public listener, so
// a calendar service in the cloud can fetch it. An unknown or revoked
// secret is a plain 404.
func FeedHandler(st *store.Store, now func() time.Time) http.Handler {
	if now == nil {
		now = time.Now
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "private, no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		secret, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
		if !ok || len(secret) < 20 {
			http.NotFound(w, r)
			return
		}
		f, found, err := st.FeedBySecretHash(secretHash(secret))
		if err != nil {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		if !found {
			http.NotFound(w, r)
			return
		}
		t := now()
		appts, err := st.Agenda(f.Themes, t.Add(-feedPast), t.Add(feedFuture))
		if err != nil {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		services, _ := st.Services(r.Context())
		items := make([]feed.Item, 0, len(appts))
		for _, a := range appts {
			svc, _ := domain.FindService(services, a.ServiceID)
			items = append(items, feed.FromAppointment(a, svc.Name.In("nl"), languageName(a.Language), languageName(a.InterpreterLanguage)))
		}
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		if err := feed.Write(w, f.Name, items, t); err != nil {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
		}
	})
}
