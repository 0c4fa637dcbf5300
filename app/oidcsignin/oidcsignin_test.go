package oidcsignin_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/digitalebalie/balie/app/oidcsignin"
	"github.com/digitalebalie/balie/app/oidcsignin/oidctest"
)

const redirectURL = "https://balie-intern.gent.be/staff/oidc/callback"

func config(issuer string) oidcsignin.Config {
	return oidcsignin.Config{
		Issuer:       issuer,
		ClientID:     "balie-gateway",
		ClientSecret: "s3cret",
		RedirectURL:  redirectURL,
	}
}

func newProvider(t *testing.T, op *oidctest.Provider) *oidcsignin.Provider {
	t.Helper()
	p, err := oidcsignin.New(t.Context(), config(op.URL))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

// authorize plays the browser: it opens the auth URL and returns the query
// of the redirect back to our callback, without following it.
func authorize(t *testing.T, p *oidcsignin.Provider) (oidcsignin.Pending, url.Values) {
	t.Helper()
	authURL, pending, err := p.Start()
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := browser.Get(authURL)
	if err != nil {
		t.Fatalf("GET authorize: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize status = %d, want 302", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatalf("bad Location: %v", err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != redirectURL {
		t.Fatalf("redirected to %q, want %q", got, redirectURL)
	}
	return pending, loc.Query()
}

func TestSignIn(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(*oidctest.Provider)
		tamper  func(*oidcsignin.Pending, url.Values)
		want    oidcsignin.Identity
		wantErr string // substring; empty means success
	}{
		{
			name: "success with groups",
			setup: func(op *oidctest.Provider) {
				op.SignInAs("u-42", "An Peeters", "an.peeters@stad.gent", "balie-beheer", "balie-onthaal")
			},
			want: oidcsignin.Identity{Subject: "u-42", Name: "An Peeters", Email: "an.peeters@stad.gent",
				Groups: []string{"balie-beheer", "balie-onthaal"}},
		},
		{
			name:  "success without groups claim",
			setup: func(op *oidctest.Provider) { op.SignInAs("u-7", "Jan", "jan@stad.gent") },
			want:  oidcsignin.Identity{Subject: "u-7", Name: "Jan", Email: "jan@stad.gent"},
		},
		{name: "expired token", setup: (*oidctest.Provider).ExpireNextToken, wantErr: "ID token expired"},
		{name: "wrong audience", setup: (*oidctest.Provider).WrongAudienceNextToken, wantErr: "expected audience"},
		{name: "wrong signing key", setup: (*oidctest.Provider).WrongKeyNextToken, wantErr: "verify signature"},
		{name: "provider denies", setup: (*oidctest.Provider).DenyNextSignIn, wantErr: `refused by provider: "access_denied"`},
		{
			name:    "wrong state",
			tamper:  func(p *oidcsignin.Pending, _ url.Values) { p.State = "someone-elses-state" },
			wantErr: "state does not match",
		},
		{
			name:    "nonce mismatch",
			tamper:  func(p *oidcsignin.Pending, _ url.Values) { p.Nonce = "another-sign-in" },
			wantErr: "nonce does not match",
		},
		{
			name:    "wrong PKCE verifier",
			tamper:  func(p *oidcsignin.Pending, _ url.Values) { p.Verifier = strings.Repeat("v", 43) },
			wantErr: `"invalid_grant"`,
		},
		{
			name:    "no pending sign-in",
			tamper:  func(p *oidcsignin.Pending, _ url.Values) { *p = oidcsignin.Pending{} },
			wantErr: "no pending sign-in",
		},
		{
			name:    "callback from another issuer",
			tamper:  func(_ *oidcsignin.Pending, q url.Values) { q.Set("iss", "https://evil.example") },
			wantErr: "callback comes from issuer",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := oidctest.New(t)
			p := newProvider(t, op)
			if tt.setup != nil {
				tt.setup(op)
			}
			pending, query := authorize(t, p)
			code := query.Get("code")
			if tt.tamper != nil {
				tt.tamper(&pending, query)
			}
			got, err := p.Finish(t.Context(), pending, query)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Finish: %v", err)
				}
				if got.Subject != tt.want.Subject || got.Name != tt.want.Name ||
					got.Email != tt.want.Email || !slices.Equal(got.Groups, tt.want.Groups) {
					t.Errorf("identity = %+v, want %+v", got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Finish succeeded as %+v, want error containing %q", got, tt.wantErr)
			}
			t.Logf("error: %v", err)
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %q, want it to contain %q", err, tt.wantErr)
			}
			if code != "" && strings.Contains(err.Error(), code) {
				t.Errorf("error leaks the authorization code: %q", err)
			}
			if got.Subject != "" || got.Groups != nil {
				t.Errorf("identity on error = %+v, want zero", got)
			}
		})
	}
}

// The caller shows a friendly "you cancelled" page for access_denied, so the
// provider's error code must be reachable, not just text.
func TestProviderErrorIsTyped(t *testing.T) {
	op := oidctest.New(t)
	p := newProvider(t, op)
	op.DenyNextSignIn()
	pending, query := authorize(t, p)
	_, err := p.Finish(t.Context(), pending, query)
	var pe *oidcsignin.ProviderError
	if !errors.As(err, &pe) || pe.Code != "access_denied" {
		t.Fatalf("error = %v, want *ProviderError with code access_denied", err)
	}
}

// A callback replayed (browser back button, stolen URL) must not sign in twice.
func TestCodeIsSingleUse(t *testing.T) {
	op := oidctest.New(t)
	p := newProvider(t, op)
	pending, query := authorize(t, p)
	if _, err := p.Finish(t.Context(), pending, query); err != nil {
		t.Fatalf("first Finish: %v", err)
	}
	if _, err := p.Finish(t.Context(), pending, query); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("second Finish error = %v, want invalid_grant", err)
	}
}

func TestStartIsRandomAndURLSafe(t *testing.T) {
	p := newProvider(t, oidctest.New(t))
	_, a, _ := p.Start()
	_, b, _ := p.Start()
	for _, v := range []string{a.State, a.Nonce, a.Verifier} {
		if len(v) < 22 || url.QueryEscape(v) != v {
			t.Errorf("pending value %q is too short or not URL-safe", v)
		}
	}
	if a.State == b.State || a.Nonce == b.Nonce || a.Verifier == b.Verifier {
		t.Errorf("two Starts share values: %+v and %+v", a, b)
	}
}

func TestNewErrors(t *testing.T) {
	op := oidctest.New(t)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close() // nothing listens here any more

	tests := []struct {
		name    string
		cfg     func() oidcsignin.Config
		wantErr string
	}{
		{"unreachable issuer", func() oidcsignin.Config { return config(down.URL) },
			"cannot read OIDC discovery document of " + down.URL},
		{"no discovery document", func() oidcsignin.Config { return config(op.URL + "/tenant") },
			"404"},
		{"issuer mismatch", func() oidcsignin.Config { return config(op.URL + "/") },
			"issuer mismatch"},
		{"plain http issuer", func() oidcsignin.Config { return config("http://login.example.com") },
			"must use https"},
		{"missing issuer", func() oidcsignin.Config { return config("") }, "Issuer is empty"},
		{"missing client id", func() oidcsignin.Config {
			c := config(op.URL)
			c.ClientID = ""
			return c
		}, "ClientID is empty"},
		{"relative redirect", func() oidcsignin.Config {
			c := config(op.URL)
			c.RedirectURL = "/staff/oidc/callback"
			return c
		}, "RedirectURL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := oidcsignin.New(t.Context(), tt.cfg())
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}
