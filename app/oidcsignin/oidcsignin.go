// Package oidcsignin signs city staff in to the balie-gateway back office
// with OpenID Connect (Entra ID, Keycloak): authorization code flow with
// PKCE, state and nonce, and a verified ID token.
//
// The flow is split in two so the caller owns the HTTP handlers and the
// short-lived cookie: Start gives the URL to redirect to plus the Pending
// values to keep; Finish takes them back together with the callback query.
package oidcsignin

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Config says which provider and client registration to use.
type Config struct {
	Issuer       string   // e.g. https://login.microsoftonline.com/<tenant>/v2.0
	ClientID     string   // application (client) id at the provider
	ClientSecret string   // confidential client secret
	RedirectURL  string   // e.g. https://balie-intern.gent.be/staff/oidc/callback
	GroupsClaim  string   // claim holding group ids/names; default "groups"
	Scopes       []string // extra scopes beyond openid, profile, email
}

// Identity is who signed in, taken from the verified ID token.
type Identity struct {
	Subject string
	Name    string
	Email   string
	Groups  []string
}

// Pending is what the caller keeps between Start and Finish (for example in
// a short-lived, HttpOnly, Secure cookie). All values are random and URL-safe.
type Pending struct {
	State    string // ties the callback to this browser (CSRF)
	Nonce    string // ties the ID token to this sign-in (replay)
	Verifier string // PKCE code verifier; proves we started the flow
}

// ProviderError is returned by Finish when the provider sent the browser back
// with an error instead of a code, e.g. Code "access_denied" when the user
// cancelled or is not assigned to the application.
type ProviderError struct {
	Code        string
	Description string
}

func (e *ProviderError) Error() string {
	msg := fmt.Sprintf("oidcsignin: sign-in refused by provider: %q", e.Code)
	if e.Description != "" {
		msg += fmt.Sprintf(" (%q)", e.Description)
	}
	return msg
}

// Provider runs sign-ins against one OIDC provider.
type Provider struct {
	issuer      string
	oauth       oauth2.Config
	verifier    *oidc.IDTokenVerifier
	client      *http.Client
	groupsClaim string
}

// defaultTimeout bounds every call to the provider when the caller did not
// supply its own client, so a slow identity provider cannot hang the gateway.
const defaultTimeout = 15 * time.Second

// New checks cfg and fetches the provider's discovery document. The HTTP
// client can be set with oidc.ClientContext(ctx, client); it is then also
// used by Finish for the token exchange and the key set.
func New(ctx context.Context, cfg Config) (*Provider, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	client, ok := ctx.Value(oauth2.HTTPClient).(*http.Client)
	if !ok {
		client = &http.Client{Timeout: defaultTimeout}
		ctx = oidc.ClientContext(ctx, client)
	}
	op, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, discoveryError(cfg.Issuer, err)
	}
	if op.Endpoint().TokenURL == "" || op.Endpoint().AuthURL == "" {
		return nil, fmt.Errorf("oidcsignin: discovery document of %s lacks authorization or token endpoint", cfg.Issuer)
	}
	groups := cfg.GroupsClaim
	if groups == "" {
		groups = "groups"
	}
	endpoint := op.Endpoint()
	// client_secret_basic is the OIDC default; setting it avoids oauth2's
	// auto-detection, which retries every failed exchange a second time.
	endpoint.AuthStyle = oauth2.AuthStyleInHeader
	return &Provider{
		issuer: cfg.Issuer,
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			RedirectURL:  cfg.RedirectURL,
			Endpoint:     endpoint,
			Scopes:       append([]string{oidc.ScopeOpenID, "profile", "email"}, cfg.Scopes...),
		},
		verifier:    op.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		client:      client,
		groupsClaim: groups,
	}, nil
}

// validate reports the first missing or malformed setting, so a bad
// configuration fails at start-up rather than at the first staff sign-in.
func (c Config) validate() error {
	switch {
	case c.Issuer == "":
		return errors.New("oidcsignin: Issuer is empty")
	case c.ClientID == "":
		return errors.New("oidcsignin: ClientID is empty")
	case c.ClientSecret == "":
		return errors.New("oidcsignin: ClientSecret is empty")
	case c.RedirectURL == "":
		return errors.New("oidcsignin: RedirectURL is empty")
	}
	if err := checkURL("Issuer", c.Issuer); err != nil {
		return err
	}
	return checkURL("RedirectURL", c.RedirectURL)
}

// checkURL requires an absolute https URL; plain http is only accepted for
// loopback hosts (local development and tests).
func checkURL(field, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("oidcsignin: %s %q is not an absolute URL", field, raw)
	}
	if u.Scheme == "https" || (u.Scheme == "http" && isLoopback(u.Hostname())) {
		return nil
	}
	return fmt.Errorf("oidcsignin: %s %q must use https", field, raw)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// discoveryError turns go-oidc's discovery errors into one plain sentence.
func discoveryError(issuer string, err error) error {
	var mismatch *oidc.IssuerMismatchError
	if errors.As(err, &mismatch) {
		return fmt.Errorf("oidcsignin: issuer mismatch: configured %q but the provider calls itself %q (for Entra ID use the tenant-specific issuer)",
			mismatch.Provided, mismatch.Discovered)
	}
	return fmt.Errorf("oidcsignin: cannot read OIDC discovery document of %s: %w", issuer, err)
}

// Start begins a sign-in: send the browser to authURL and keep pending until
// the callback arrives. err is kept for callers' sake but is nil today:
// crypto/rand no longer fails (Go 1.24+).
func (p *Provider) Start() (authURL string, pending Pending, err error) {
	pending = Pending{
		State:    rand.Text(),
		Nonce:    rand.Text(),
		Verifier: oauth2.GenerateVerifier(),
	}
	authURL = p.oauth.AuthCodeURL(pending.State,
		oidc.Nonce(pending.Nonce),
		oauth2.S256ChallengeOption(pending.Verifier))
	return authURL, pending, nil
}

// Finish completes a sign-in from the callback query. It checks the state,
// exchanges the code with the PKCE verifier, verifies the ID token
// (signature, issuer, audience, expiry, nonce) and returns who signed in.
// Errors never contain the code or any token.
func (p *Provider) Finish(ctx context.Context, pending Pending, query url.Values) (Identity, error) {
	if err := p.checkCallback(pending, query); err != nil {
		return Identity{}, err
	}
	ctx = oidc.ClientContext(ctx, p.client)
	tok, err := p.oauth.Exchange(ctx, query.Get("code"), oauth2.VerifierOption(pending.Verifier))
	if err != nil {
		return Identity{}, exchangeError(err)
	}
	rawID, ok := tok.Extra("id_token").(string)
	if !ok || rawID == "" {
		return Identity{}, errors.New("oidcsignin: token response has no id_token (is the openid scope allowed for this client?)")
	}
	idTok, err := p.verifier.Verify(ctx, rawID)
	if err != nil {
		return Identity{}, verifyError(err)
	}
	if !equal(idTok.Nonce, pending.Nonce) {
		return Identity{}, errors.New("oidcsignin: ID token nonce does not match this sign-in")
	}
	return p.identity(idTok)
}

// checkCallback validates the redirect before any call to the provider.
func (p *Provider) checkCallback(pending Pending, query url.Values) error {
	if pending.State == "" || pending.Nonce == "" || pending.Verifier == "" {
		return errors.New("oidcsignin: no pending sign-in (cookie missing or expired); start again")
	}
	// The state is checked first: an error redirect for someone else's
	// sign-in attempt must not be reported as ours.
	if !equal(query.Get("state"), pending.State) {
		return errors.New("oidcsignin: state does not match the pending sign-in; start again")
	}
	if code := query.Get("error"); code != "" {
		return &ProviderError{Code: clip(code), Description: clip(query.Get("error_description"))}
	}
	// RFC 9207: a provider that names itself in the callback must be ours.
	if iss := query.Get("iss"); iss != "" && iss != p.issuer {
		return fmt.Errorf("oidcsignin: callback comes from issuer %q, expected %q", clip(iss), p.issuer)
	}
	if query.Get("code") == "" {
		return errors.New("oidcsignin: callback has no authorization code")
	}
	return nil
}

// exchangeError keeps only the OAuth error code and description: the raw
// response body is not echoed into logs.
func exchangeError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		msg := "oidcsignin: token endpoint refused the code"
		if re.Response != nil {
			msg += fmt.Sprintf(": HTTP %d", re.Response.StatusCode)
		}
		if re.ErrorCode != "" {
			msg += fmt.Sprintf(" %q", clip(re.ErrorCode))
		}
		if re.ErrorDescription != "" {
			msg += fmt.Sprintf(" (%q)", clip(re.ErrorDescription))
		}
		return errors.New(msg)
	}
	return fmt.Errorf("oidcsignin: cannot reach token endpoint: %w", err)
}

// verifyError names the common failures; go-oidc's messages do not include
// the token itself, so the detail is kept for the log.
func verifyError(err error) error {
	var expired *oidc.TokenExpiredError
	if errors.As(err, &expired) {
		return fmt.Errorf("oidcsignin: ID token expired at %s (check the server clock)", expired.Expiry.UTC().Format(time.RFC3339))
	}
	return fmt.Errorf("oidcsignin: ID token rejected: %w", err)
}

// identity reads the staff member's claims from a verified ID token.
func (p *Provider) identity(idTok *oidc.IDToken) (Identity, error) {
	var std struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	}
	var all map[string]json.RawMessage
	if err := idTok.Claims(&std); err != nil {
		return Identity{}, fmt.Errorf("oidcsignin: cannot read ID token claims: %w", err)
	}
	if err := idTok.Claims(&all); err != nil {
		return Identity{}, fmt.Errorf("oidcsignin: cannot read ID token claims: %w", err)
	}
	if idTok.Subject == "" {
		return Identity{}, errors.New("oidcsignin: ID token has no subject")
	}
	groups, err := p.groups(all)
	if err != nil {
		return Identity{}, err
	}
	return Identity{Subject: idTok.Subject, Name: std.Name, Email: std.Email, Groups: groups}, nil
}

// groups reads the groups claim: an array of strings, or absent (no groups).
func (p *Provider) groups(claims map[string]json.RawMessage) ([]string, error) {
	raw, ok := claims[p.groupsClaim]
	if !ok || string(raw) == "null" {
		// Entra ID leaves the groups out and points to Graph instead when a
		// user has too many; treating that as "no groups" would be misleading.
		if names, ok := claims["_claim_names"]; ok {
			var m map[string]json.RawMessage
			if json.Unmarshal(names, &m) == nil && m[p.groupsClaim] != nil {
				return nil, fmt.Errorf("oidcsignin: user has too many groups for the %q claim (Entra ID overage); limit the claim to groups assigned to the application", p.groupsClaim)
			}
		}
		return nil, nil
	}
	var groups []string
	if err := json.Unmarshal(raw, &groups); err != nil {
		return nil, fmt.Errorf("oidcsignin: claim %q is not a list of strings", p.groupsClaim)
	}
	return groups, nil
}

// equal compares secrets in constant time; empty never matches.
func equal(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// clip bounds text that comes from the browser or provider before it goes
// into an error message; callers quote it (%q) so it cannot forge log lines.
func clip(s string) string {
	const max = 200
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
