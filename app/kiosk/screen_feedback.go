package kiosk

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/digitalebalie/balie/app/domain"
	"github.com/digitalebalie/balie/app/scrub"
	"github.com/digitalebalie/balie/assets"
)

// feedbackScreen asks, at the end of a visit, how it went: five faces,
// each with its word, and an optional "what could be simpler?". Nothing
// is required; skipping is one tap on the main button.
type feedbackScreen struct{ *Kiosk }

func (s feedbackScreen) show() (fyne.CanvasObject, fyne.CanvasObject) {
	cols := 5
	if !s.wide() {
		cols = 1
	}
	faces := s.grid(cols)
	for score := 1; score <= 5; score++ {
		hint := ""
		if s.sess.Score == score {
			hint = s.t("FeedbackChosen", nil)
		}
		faces.Add(NewChoice(s.t(fmt.Sprintf("FeedbackFace%d", score), nil), hint, assets.Icon(fmt.Sprintf("face%d", score)), s.act(func() {
			s.sess.Score = score
			s.render()
		})))
	}
	field := NewTextField()
	field.MultiLine = true
	field.Wrapping = fyne.TextWrapWord
	field.SetMinRowsVisible(2)
	field.SetText(s.sess.Suggestion)
	action := primaryButton("", nil, nil)
	// Until something is given the main button skips; then it sends. It
	// changes in place: drawing the screen again would move the cursor.
	update := func() {
		if s.sess.Score == 0 && s.sess.Suggestion == "" {
			action.SetText(s.t("FeedbackSkip", nil))
			action.SetIcon(theme.NavigateNextIcon())
			action.OnTapped = s.act(s.StartOver)
			return
		}
		action.SetText(s.t("FeedbackSend", nil))
		action.SetIcon(theme.MailSendIcon())
		action.OnTapped = s.act(s.sendFeedback)
	}
	update()
	field.OnChanged = func(text string) {
		s.idle.Touch()
		s.sess.Suggestion = text
		update()
	}
	box := container.NewVBox(
		s.question("FeedbackQuestion", nil),
		faces,
		strong(s.t("FeedbackSuggestion", nil)),
		example(s.t("FeedbackSuggestionHint", nil)),
		field,
	)
	return box, action
}

// sendFeedback sends the rating and the suggestion, stripped of anything
// that looks like an e-mail address, a phone number or a booking code,
// and starts over at once: the visitor does not wait for the answer, and
// the suggestion never touches the kiosk's disk.
func (s feedbackScreen) sendFeedback() {
	signals, ok := s.cfg.Backend.(domain.Signals)
	fb := domain.Feedback{Language: s.sess.Lang, ServiceID: s.sess.ServiceID, Rating: s.sess.Score,
		Suggestion: scrub.Suggestion(s.sess.Suggestion), At: s.cfg.Now()}
	if ok && domain.ValidateFeedback(fb) == nil {
		log := s.cfg.Log
		timeout := s.cfg.CallTimeout
		s.cfg.Runner.Run(func() {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			if err := signals.SendFeedback(ctx, fb); err != nil {
				log.Warn("feedback not sent", "code", string(domain.CodeOf(err)))
			}
		}, func() {})
	}
	s.StartOver()
}
