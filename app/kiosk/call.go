package kiosk

import (
	"github.com/digitalebalie/balie/app/session"
)

// openCall opens the video call in its own window and follows it: while it
// is open the idle timer waits, and when it closes the kiosk comes back to
// the front and asks whether the conversation is over. A window that will
// not open, or closes at once, sends the visitor to the phone's QR code.
func (k *Kiosk) openCall() {
	if k.call != nil { // already open: a second tap opens no second window
		k.goTo(session.JoinCall)
		return
	}
	win, err := k.cfg.OpenCall(k.sess.Found.JoinURL, k.sess.Lang)
	if err != nil {
		k.callFailed(err)
		return
	}
	k.call, k.callOpen = win, k.cfg.Now()
	k.sess.CallFailed, k.sess.Joined = false, true
	k.goTo(session.JoinCall)
	watch(k, func() (done, error) {
		<-win.Ended()
		return done{}, win.Err()
	}, func(_ done, err error) {
		if k.call != win {
			return
		}
		k.call = nil
		k.idle.Touch()
		k.win.RequestFocus()
		if err != nil {
			k.callFailed(err)
			return
		}
		k.sess.BackTo(session.JoinStatus) // back from here is the status, not the closed call
		k.goTo(session.JoinCallOver)
	})
}

// callFailed logs why the call window failed (never its link) and shows
// the way on: the phone screen.
func (k *Kiosk) callFailed(err error) {
	k.cfg.Log.Error("video call window failed", "err", err)
	k.sess.CallFailed = true
	k.sess.BackTo(session.JoinStatus)
	k.goTo(session.JoinPhone)
}
