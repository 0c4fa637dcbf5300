// Package session is the kiosk's flow model: which screen a visitor is on,
// what they chose and typed, and when they went quiet. It lives only in
// memory and is wiped on finish, on start over and on timeout. Screens are
// drawn from it; tests drive it without pixels. It imports the domain only.
package session

import (
	"time"

	"github.com/digitalebalie/balie/app/domain"
)

// Screen is one step of the kiosk.
type Screen int

// The kiosk's screens.
const (
	Welcome Screen = iota
	Home
	Theme
	Fit
	Day
	Time
	Contact
	Confirm
	Done
	JoinFind
	JoinStatus
	JoinPhone
	Help
	JoinCancel
	JoinCall     // the call runs in its own window
	JoinCallOver // the call window closed: over, or back to it?
	Interpreter  // which language the interpreter speaks
	Feedback     // five faces and "what could be simpler?", at the end
)

var names = [...]string{"welcome", "home", "theme", "fit", "day", "time", "contact", "confirm", "done", "join-find", "join-status", "join-phone", "help", "join-cancel",
	"join-call", "join-call-over", "interpreter", "feedback"}

func (s Screen) String() string { return names[s] }

// Flow is the task a visitor chose on the home screen.
type Flow int

// The three tasks.
const (
	NoFlow Flow = iota
	BookFlow
	JoinFlow
	HelpFlow
)

// steps lists each flow's screens in order; the home screen is step one of
// every flow.
var steps = map[Flow][]Screen{
	BookFlow: {Home, Theme, Fit, Day, Time, Contact, Confirm, Done},
	JoinFlow: {Home, JoinFind, JoinStatus},
	HelpFlow: {Home, Help},
}

// Session is everything one visitor has chosen and typed.
type Session struct {
	Lang    string
	Screen  Screen
	Flow    Flow
	history []Screen

	// Booking.
	ServiceID string
	Page      int // page of the list on the current screen (themes, days, times)
	Day       time.Time
	Slot      domain.Slot
	// Slots are the free times of the chosen theme, as loaded for this
	// visitor: nil until loaded, and again when they went stale.
	Slots           []domain.Slot
	Contact         domain.Contact
	ConsentResearch bool
	Interpreter     bool
	// InterpreterLanguage is the interpreter's language: the visitor's
	// own unless they chose another.
	InterpreterLanguage string
	Booked              *domain.Appointment
	// BookKey makes every attempt of this visit's booking one booking:
	// after a lost answer, "try again" gets the same appointment back.
	BookKey string
	// BookUnsure: the last attempt got no answer, so the visitor is told
	// their appointment is not confirmed yet.
	BookUnsure bool

	// Joining.
	JoinCode  string
	JoinCheck string
	Found     *domain.Appointment
	// CallFailed: the call window could not open or closed at once; the
	// phone screen says so and offers the QR code.
	CallFailed bool

	// Help: a member of staff was called from the help screen. HelpRef is
	// the kiosk's id for that call, HelpAt when it went, HelpState where
	// staff are with it; HelpKept: the gateway could not be reached and
	// the call waits on the kiosk's disk.
	StaffCalled bool
	HelpRef     string
	HelpAt      time.Time
	HelpState   domain.HelpState
	HelpKept    bool

	// Feedback at the end: a score of 1 to 5 (0 none) and a suggestion.
	Score      int
	Suggestion string

	// For the city's anonymous figures: when the visitor first tapped,
	// how long the booking took, whether they joined a call, which aids
	// they used at any time, and whether staff booked for them.
	Started        time.Time
	ToBook         time.Duration
	Joined         bool
	UsedLargerText bool
	UsedContrast   bool
	UsedReadAloud  bool
	Assisted       bool

	// How the visitor wants to see the screens; back to normal for the
	// next visitor.
	TextStep     int // index into the kiosk's text sizes; 0 is the default
	HighContrast bool
	// ReadAloud: the visitor asked for reading aloud, so every new screen is
	// read. NoVoice: the PC has no voice for the visitor's language.
	ReadAloud bool
	NoVoice   bool
	NoSound   bool // the PC has no sound device at all

	// Errors refused fields of the current screen; Problem is a whole-screen
	// failure (network, slot taken), both shown in the visitor's language.
	Errors  map[string]domain.FieldReason
	Problem domain.ErrorCode
}

// New returns an empty session on the welcome screen in lang.
func New(lang string) *Session {
	return &Session{Lang: lang, Screen: Welcome}
}

// Wipe forgets everything the visitor chose and typed, and returns to the
// welcome screen in defaultLang.
func (s *Session) Wipe(defaultLang string) {
	*s = Session{Lang: defaultLang, Screen: Welcome}
}

// HasVisitorData tells whether there is anything to protect: a choice made
// or something typed.
func (s *Session) HasVisitorData() bool {
	return s.Screen != Welcome || s.ServiceID != "" || s.Contact != (domain.Contact{}) ||
		s.JoinCode != "" || s.JoinCheck != "" || s.Booked != nil || s.Found != nil
}

// HasUnfinishedInput tells whether the visitor has typed something that
// is not used yet: contact details before the booking is made, or a code
// and check before the appointment was found.
func (s *Session) HasUnfinishedInput() bool {
	return s.Booked == nil && s.Contact != (domain.Contact{}) ||
		s.Found == nil && (s.JoinCode != "" || s.JoinCheck != "")
}

// Previous is the screen the visitor came from.
func (s *Session) Previous() Screen {
	if n := len(s.history); n > 0 {
		return s.history[n-1]
	}
	return Welcome
}

// Go moves forward to screen, remembering where the visitor was.
func (s *Session) Go(screen Screen) {
	s.history = append(s.history, s.Screen)
	s.Screen = screen
	s.Page = 0
	s.Errors = nil
	s.Problem = ""
	switch screen {
	case Theme, Fit, Day, Time, Contact, Confirm, Done, Interpreter:
		s.Flow = BookFlow
	case JoinFind, JoinStatus, JoinPhone, JoinCancel, JoinCall, JoinCallOver:
		s.Flow = JoinFlow
	case Help:
		s.Flow = HelpFlow
	case Home, Welcome:
		s.Flow = NoFlow
	}
}

// CanGoBack tells whether Back has somewhere to go. After a booking is made
// there is no way back into the wizard, so it cannot be made twice.
func (s *Session) CanGoBack() bool {
	return len(s.history) > 0 && s.Screen != Done && s.Screen != Feedback
}

// Back returns to the previous screen.
func (s *Session) Back() {
	if !s.CanGoBack() {
		return
	}
	prev := s.history[len(s.history)-1]
	s.history = s.history[:len(s.history)-1]
	s.Screen = prev
	s.Page = 0
	s.Errors = nil
	s.Problem = ""
	if prev == Home || prev == Welcome {
		s.Flow = NoFlow
	}
}

// BackTo returns to the most recent visit of screen, as if the visitor
// pressed back until there.
func (s *Session) BackTo(screen Screen) {
	for s.Screen != screen && len(s.history) > 0 {
		s.Back()
	}
}

// Step returns the position of the current screen in its flow, counting the
// home screen as step one. Total is zero before a flow is chosen.
func (s *Session) Step() (step, total int) {
	switch s.Screen {
	case JoinPhone, JoinCancel, JoinCall, JoinCallOver:
		return 3, 3
	case Interpreter: // a detour of the confirm step
		return 7, len(steps[BookFlow])
	case Feedback: // after the last step
		n := len(steps[s.Flow])
		return n, n
	}
	list := steps[s.Flow]
	for i, sc := range list {
		if sc == s.Screen {
			return i + 1, len(list)
		}
	}
	if s.Screen == Home {
		return 1, 0
	}
	return 0, 0
}
