package gateway

import (
	"context"
	"crypto/sha256"
	"net/http"
	"strings"

	"github.com/digitalebalie/balie/app/api"
)

// hashDevices keys devices by the SHA-256 of their token, so a lookup does
// not compare secrets byte by byte.
func hashDevices(tokens map[string]string) map[[sha256.Size]byte]string {
	out := make(map[[sha256.Size]byte]string, len(tokens))
	for token, name := range tokens {
		if token != "" {
			out[sha256.Sum256([]byte(token))] = name
		}
	}
	return out
}

// device requires a known device token and puts the device's name in the
// request's context.
func (g *Gateway) device(h http.HandlerFunc) http.Handler {
	return requireToken(g.devices, "balie-gateway", "", h)
}

// requireToken answers 401 unless the request's bearer token is one of
// tokens, and otherwise names the caller (prefix and the token's name) for
// the handler and the request log.
func requireToken(tokens map[[sha256.Size]byte]string, realm, prefix string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, known := tokens[bearer(r)]
		if !known {
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+realm+`"`)
			writeError(w, http.StatusUnauthorized, api.NewError(api.CodeUnauthorized, nil))
			return
		}
		info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo)
		if !ok { // called outside Gateway.ServeHTTP
			info = &requestInfo{}
			r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
		}
		info.device = prefix + name
		h(w, r)
	})
}

// bearer is the SHA-256 of the request's bearer token; without one, of
// nothing, which no device or staff member has.
func bearer(r *http.Request) [sha256.Size]byte {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") { // the scheme is case-insensitive (RFC 9110)
		return [sha256.Size]byte{}
	}
	return sha256.Sum256([]byte(strings.TrimSpace(token)))
}

// deviceOf is the caller requireToken let in: a kiosk's name, or
// "staff:" and a staff member's.
func deviceOf(ctx context.Context) string {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return info.device
	}
	return ""
}
