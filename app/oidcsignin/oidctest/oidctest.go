// Package oidctest is a fake OpenID Connect provider for tests: discovery,
// JWKS, an /authorize endpoint that signs in a chosen user without a login
// page, and a /token endpoint that checks the PKCE verifier.
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"
)

const keyID = "oidctest"

// Provider is a running fake provider; URL is its issuer.
type Provider struct {
	URL string

	t     testing.TB
	key   *rsa.PrivateKey
	other *rsa.PrivateKey // never published; made by WrongKeyNextToken

	mu       sync.Mutex
	user     user
	codes    map[string]grant
	expire   bool
	wrongAud bool
	wrongKey bool
	deny     bool
}

type user struct {
	subject, name, email string
	groups               []string
}

// grant is what /authorize remembers for /token.
type grant struct {
	clientID, redirectURI, nonce, challenge string
	user                                    user
}

// New starts a fake provider that is closed when the test ends. Until
// SignInAs is called, a default staff member signs in without groups.
func New(t testing.TB) *Provider {
	t.Helper()
	p := &Provider{
		t:     t,
		key:   newKey(t),
		codes: map[string]grant{},
		user:  user{subject: "staff-1", name: "Test Staff", email: "staff@example.test"},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

func newKey(t testing.TB) *rsa.PrivateKey {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("oidctest: generate key: %v", err)
	}
	return key
}

// SignInAs sets who signs in next: the claims the next ID token carries.
// Without groups, the token has no groups claim at all.
func (p *Provider) SignInAs(subject, name, email string, groups ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.user = user{subject: subject, name: name, email: email, groups: groups}
}

// ExpireNextToken makes the next ID token already expired.
func (p *Provider) ExpireNextToken() { p.set(&p.expire) }

// WrongAudienceNextToken issues the next ID token to another client.
func (p *Provider) WrongAudienceNextToken() { p.set(&p.wrongAud) }

// WrongKeyNextToken signs the next ID token with a key not in the JWKS
// (same key id, as a forger would).
func (p *Provider) WrongKeyNextToken() {
	other := newKey(p.t) // made here, on the test goroutine, where Fatalf is allowed
	p.mu.Lock()
	defer p.mu.Unlock()
	p.other, p.wrongKey = other, true
}

// DenyNextSignIn makes /authorize answer the next request with
// error=access_denied, as when the user cancels or is not assigned.
func (p *Provider) DenyNextSignIn() { p.set(&p.deny) }

func (p *Provider) set(flag *bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	*flag = true
}

func (p *Provider) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                p.URL,
		"authorization_endpoint":                p.URL + "/authorize",
		"token_endpoint":                        p.URL + "/token",
		"jwks_uri":                              p.URL + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
	})
}

func (p *Provider) jwks(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key: &p.key.PublicKey, KeyID: keyID, Algorithm: string(jose.RS256), Use: "sig",
	}}})
}

// authorize plays the login page: it signs the current user in at once and
// redirects back with a code (or an error) and the caller's state.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || back.Host == "" || q.Get("client_id") == "" {
		http.Error(w, "missing or bad client_id / redirect_uri", http.StatusBadRequest)
		return
	}
	if q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		http.Error(w, "want response_type=code with an S256 code_challenge", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	reply := url.Values{"state": {q.Get("state")}}
	if p.deny {
		p.deny = false
		reply.Set("error", "access_denied")
		reply.Set("error_description", "the user declined")
	} else {
		code := rand.Text()
		p.codes[code] = grant{
			clientID: q.Get("client_id"), redirectURI: q.Get("redirect_uri"),
			nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), user: p.user,
		}
		reply.Set("code", code)
	}
	p.mu.Unlock()
	back.RawQuery = reply.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token redeems a code once, checking client, redirect URI and PKCE.
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "authorization_code" {
		writeJSON(w, http.StatusBadRequest, oauthError("unsupported_grant_type"))
		return
	}
	clientID, ok := clientOf(r)
	if !ok {
		writeJSON(w, http.StatusUnauthorized, oauthError("invalid_client"))
		return
	}
	p.mu.Lock()
	g, found := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code")) // codes are single-use
	p.mu.Unlock()
	if !found || g.clientID != clientID || g.redirectURI != r.PostForm.Get("redirect_uri") ||
		oauth2.S256ChallengeFromVerifier(r.PostForm.Get("code_verifier")) != g.challenge {
		writeJSON(w, http.StatusBadRequest, oauthError("invalid_grant"))
		return
	}
	idToken, err := p.idToken(g)
	if err != nil {
		p.t.Errorf("oidctest: sign ID token: %v", err)
		writeJSON(w, http.StatusInternalServerError, oauthError("server_error"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": rand.Text(), "token_type": "Bearer", "expires_in": 300, "id_token": idToken,
	})
}

// clientOf accepts client_secret_basic and client_secret_post; the secret
// itself is not checked.
func clientOf(r *http.Request) (string, bool) {
	if id, secret, ok := r.BasicAuth(); ok {
		id, _ = url.QueryUnescape(id) // RFC 6749 §2.3.1 form-encodes the credentials
		return id, id != "" && secret != ""
	}
	id := r.PostForm.Get("client_id")
	return id, id != "" && r.PostForm.Get("client_secret") != ""
}

// idToken builds and signs the ID token for g, applying (and clearing) the
// "break the next token" options.
func (p *Provider) idToken(g grant) (string, error) {
	p.mu.Lock()
	expire, wrongAud, wrongKey := p.expire, p.wrongAud, p.wrongKey
	p.expire, p.wrongAud, p.wrongKey = false, false, false
	p.mu.Unlock()

	now := time.Now()
	claims := map[string]any{
		"iss": p.URL, "sub": g.user.subject, "aud": g.clientID,
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"nonce": g.nonce, "name": g.user.name, "email": g.user.email,
	}
	if len(g.user.groups) > 0 {
		claims["groups"] = g.user.groups
	}
	if expire {
		claims["exp"] = now.Add(-time.Minute).Unix()
	}
	if wrongAud {
		claims["aud"] = "some-other-client"
	}
	key := p.key
	if wrongKey {
		p.mu.Lock()
		key = p.other
		p.mu.Unlock()
	}
	return sign(key, claims)
}

func sign(key *rsa.PrivateKey, claims map[string]any) (string, error) {
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: keyID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

func oauthError(code string) map[string]string { return map[string]string{"error": code} }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
