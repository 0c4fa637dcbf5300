package api

import (
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/digitalebalie/balie/app/domain"
)

// loadOpenAPI parses and validates the embedded description, examples
// included.
func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPI)
	if err != nil {
		t.Fatalf("load openapi.json: %v", err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("openapi.json is not valid OpenAPI: %v", err)
	}
	return doc
}

func TestOpenAPIIsValid(t *testing.T) {
	doc := loadOpenAPI(t)
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi %q, want 3.0.3", doc.OpenAPI)
	}
	for path := range doc.Paths.Map() {
		if len(path) < len(Prefix)+1 || path[:len(Prefix)+1] != Prefix+"/" {
			t.Errorf("path %s does not start with %s/", path, Prefix)
		}
	}
}

// The spec's enums list exactly the codes and reasons the Go code can send,
// so a new code cannot be added on one side only.
func TestOpenAPIEnumsMatchTheCode(t *testing.T) {
	doc := loadOpenAPI(t)
	enum := func(name string) []string {
		t.Helper()
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			t.Fatalf("no schema %s", name)
		}
		var out []string
		for _, v := range ref.Value.Enum {
			out = append(out, v.(string))
		}
		slices.Sort(out)
		return out
	}

	// Every code with a standard message, which is every code the gateway
	// sends. EOffline never reaches the wire: FromError makes it unavailable.
	var codes []string
	for c := range messages {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	if got := enum("ErrorCode"); !slices.Equal(got, codes) {
		t.Errorf("ErrorCode enum %v, want %v", got, codes)
	}
	if slices.Contains(codes, string(domain.EOffline)) {
		t.Errorf("%s is sent on the wire", domain.EOffline)
	}
	for code := range statusOf {
		if code != domain.EOffline && !slices.Contains(codes, string(code)) {
			t.Errorf("domain code %s has no message", code)
		}
	}

	reasons := []string{
		// The domain's.
		string(domain.ReasonRequired), string(domain.ReasonTooLong), string(domain.ReasonInvalidName),
		string(domain.ReasonInvalidCode), string(domain.ReasonInvalidEmail), string(domain.ReasonInvalidPhone),
		string(domain.ReasonNotMobile), string(domain.ReasonEmailOrPhone),
		string(domain.ReasonUnknown), string(domain.ReasonOutOfRange), string(domain.ReasonNotOffered),
		string(domain.ReasonInvalidID),
		// The wire's own: a query parameter, the Idempotency-Key header, and
		// what the gateway's decoder says about a body field.
		ReasonInvalid, ReasonInvalidDate, ReasonWrongType, ReasonUnknownField, ReasonWrongCase, ReasonDuplicateField,
	}
	slices.Sort(reasons)
	if got := enum("FieldReason"); !slices.Equal(got, reasons) {
		t.Errorf("FieldReason enum %v, want %v", got, reasons)
	}
}

// Request schemas refuse unknown fields, as the gateway's decoder does.
func TestOpenAPIRequestBodiesAreClosed(t *testing.T) {
	doc := loadOpenAPI(t)
	for _, name := range []string{"BookingRequest", "Contact", "CancelRequest", "HelpRequest", "Feedback", "VisitBatch", "Visit", "StaffSignIn", "HelpStateChange"} {
		s := doc.Components.Schemas[name].Value
		if s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has {
			t.Errorf("%s allows unknown fields", name)
		}
	}
	for path, item := range doc.Paths.Map() {
		if op := item.Post; op != nil {
			if op.RequestBody == nil || !op.RequestBody.Value.Required {
				t.Errorf("POST %s: no required request body", path)
			}
		}
	}
}

// Every 429 says when to come back, and every 401 names the realm of its
// route's token: the staff realm for a staff token, the device realm for a
// device token.
func TestOpenAPIHeadersOfLimitsAndRealms(t *testing.T) {
	doc := loadOpenAPI(t)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if r := op.Responses.Value("429"); r != nil && r.Value.Headers["Retry-After"] == nil {
				t.Errorf("%s %s: 429 without Retry-After", method, path)
			}
			r := op.Responses.Value("401")
			security := doc.Security
			if op.Security != nil {
				security = *op.Security
			}
			if len(security) == 0 {
				if r != nil {
					t.Errorf("%s %s: 401 on a route without a token", method, path)
				}
				continue
			}
			if r == nil {
				t.Errorf("%s %s: no 401", method, path)
				continue
			}
			realm := `Bearer realm="balie-gateway"`
			if _, staff := security[0]["staffToken"]; staff {
				realm = `Bearer realm="balie-gateway-staff"`
			}
			h := r.Value.Headers["WWW-Authenticate"]
			if h == nil || len(h.Value.Schema.Value.Enum) != 1 || h.Value.Schema.Value.Enum[0] != realm {
				t.Errorf("%s %s: 401 does not name %s", method, path, realm)
			}
		}
	}
}
