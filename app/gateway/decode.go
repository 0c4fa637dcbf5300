package gateway

import (
	"bytes"
	stdjson "encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/digitalebalie/balie/app/api"
)

// decodeBody reads exactly one JSON object of v's shape from a body of at
// most api.MaxBodyBytes, with the strict reading of encoding/json's next
// version (github.com/go-json-experiment/json): a key given twice is an
// error, names match only in their exact case, and unknown fields, wrong
// types and trailing data are refused (encoding/json keeps the last of two
// keys and takes "SERVICEID" for "serviceId"). The error it returns is
// ready to send; its message never repeats the body.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) *apiError {
	if !isJSON(r.Header.Values("Content-Type")) {
		return &apiError{http.StatusUnsupportedMediaType, api.ErrorBody{Error: api.ErrorDetail{
			Code: api.CodeBadRequest, Message: "the request body must be application/json"}}}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, api.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &apiError{http.StatusRequestEntityTooLarge, api.NewError(api.CodeTooLarge, nil)}
		}
		return badBody(&bodyError{message: "the request body could not be read"})
	}
	if e := oneObject(body); e != nil {
		return badBody(e)
	}
	if err := json.Unmarshal(body, v, json.RejectUnknownMembers(true)); err != nil {
		return badBody(semantic(err))
	}
	return nil
}

// isJSON tells whether a request's Content-Type headers say JSON: none at
// all (accepted as ever, and documented so), or one media type
// application/json in any case, with no parameter but charset=utf-8. JSON
// is UTF-8 (RFC 8259), so another charset would be read wrongly;
// application/json-seq and similar types are other formats.
func isJSON(values []string) bool {
	switch len(values) {
	case 0:
		return true
	case 1:
	default:
		return false // which one would count?
	}
	if values[0] == "" {
		return true
	}
	mediaType, params, err := mime.ParseMediaType(values[0])
	if err != nil || mediaType != "application/json" {
		return false
	}
	for name, value := range params {
		if name != "charset" || !strings.EqualFold(value, "utf-8") {
			return false
		}
	}
	return true
}

// bodyError is why a body is refused: a fixed sentence and, when it is about
// one field, that field's JSON path and a reason.
type bodyError struct {
	message      string
	path, reason string
}

func badBody(e *bodyError) *apiError {
	var fields map[string]string
	if e.path != "" {
		fields = map[string]string{e.path: e.reason}
	}
	return &apiError{http.StatusBadRequest, api.ErrorBody{Error: api.ErrorDetail{
		Code: api.CodeBadRequest, Message: e.message, Fields: fields}}}
}

// oneObject checks the body's syntax, duplicate keys included, and that it
// is one JSON object with nothing after it.
func oneObject(body []byte) *bodyError {
	dec := jsontext.NewDecoder(bytes.NewReader(body))
	value, err := dec.ReadValue()
	var syntax *jsontext.SyntacticError
	switch {
	case err == io.EOF:
		return &bodyError{message: "the request body is empty"}
	case errors.Is(err, jsontext.ErrDuplicateName) && errors.As(err, &syntax):
		return &bodyError{message: "the request body names a field twice; see fields",
			path: pathOf(syntax.JSONPointer), reason: api.ReasonDuplicateField}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &bodyError{message: "the request body ends in the middle of a JSON value"}
	case errors.As(err, &syntax):
		return &bodyError{message: "the request body is not valid JSON (at byte " + strconv.FormatInt(syntax.ByteOffset, 10) + ")"}
	case err != nil:
		return &bodyError{message: "the request body is not valid JSON"}
	case value.Kind() != '{':
		return &bodyError{message: "the request body must be one JSON object"}
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return &bodyError{message: "the request body has data after its JSON object"}
	}
	return nil
}

// semantic describes why a well-formed object does not fit its Go type.
func semantic(err error) *bodyError {
	var sem *json.SemanticError
	if !errors.As(err, &sem) {
		return &bodyError{message: "the request body does not have the expected shape"}
	}
	at := pathOf(sem.JSONPointer)
	switch {
	case errors.Is(err, json.ErrUnknownName):
		if otherCase(sem.GoType, sem.JSONPointer.LastToken()) {
			return &bodyError{message: "field names are case-sensitive, and one differs from the API's only in case; see fields",
				path: at, reason: api.ReasonWrongCase}
		}
		return &bodyError{message: "the request body has a field this operation does not take; see fields",
			path: at, reason: api.ReasonUnknownField}
	case sem.GoType == reflect.TypeFor[time.Time]() && sem.JSONKind == '"':
		return &bodyError{message: "times must be RFC 3339 with an offset, such as 2026-11-24T10:00:00+01:00",
			path: at, reason: api.ReasonInvalidDate}
	}
	return &bodyError{message: "a field must be a JSON " + jsonKind(sem.GoType) + "; see fields",
		path: at, reason: api.ReasonWrongType}
}

// otherCase tells whether key names a field of struct t in another case,
// the mistake encoding/json would have let through. Only a plausible key
// can.
func otherCase(t reflect.Type, key string) bool {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct || segment(key) != key {
		return false
	}
	for name := range fieldNames(t) {
		if strings.EqualFold(name, key) {
			return true
		}
	}
	return false
}

// fieldNames are the JSON names of t's fields, as encoding/json names them.
// (The request types embed no structs.)
func fieldNames(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// invalidKey stands in a path for a key that is not a plausible field name,
// which is then never repeated: it may be an e-mail address, or markup.
const invalidKey = "(invalid key)"

var plausibleKey = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)

// segment is key as it may appear in a path.
func segment(key string) string {
	if plausibleKey.MatchString(key) {
		return key
	}
	return invalidKey
}

// pathOf writes a JSON pointer as the API's paths: contact.phone, or
// list[1].name for an array's element.
func pathOf(p jsontext.Pointer) string {
	var b strings.Builder
	for tok := range p.Tokens() {
		if _, err := strconv.Atoi(tok); err == nil && tok[0] != '-' && tok[0] != '+' {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(segment(tok))
	}
	return b.String()
}

// jsonKind is the JSON kind that Go type t holds.
func jsonKind(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "value"
	}
	if t == reflect.TypeFor[time.Time]() {
		return "string"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "value"
}

// badQuery answers 400 for query parameters that cannot be read as their
// type: not a whole number, not a date, not one of the listed words. A
// value that can be read but is refused (out of range, too long) is 422
// invalid instead, as for bodies.
func badQuery(w http.ResponseWriter, fields map[string]string) {
	writeError(w, http.StatusBadRequest, api.ErrorBody{Error: api.ErrorDetail{
		Code: api.CodeBadRequest, Message: "a query parameter cannot be read; see fields", Fields: fields}})
}

// apiError is an error answer ready to send.
type apiError struct {
	status int
	body   api.ErrorBody
}

func writeError(w http.ResponseWriter, status int, body api.ErrorBody) {
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	stdjson.NewEncoder(w).Encode(v)
}

// wholeNumber reads a query value as a whole number. One too large for an
// int is still whole, and comes back clamped, so that it is out of range
// rather than unreadable.
func wholeNumber(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return n, true
	}
	return n, err == nil
}
