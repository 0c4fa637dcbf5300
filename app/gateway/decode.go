package gateway

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/digitalebalie/balie/app/api"
)

// decodeBody reads exactly one JSON object of v's shape from a body of at
// most api.MaxBodyBytes. Before anything is decoded, one walk over the
// body's tokens refuses what encoding/json would let through silently:
// a key given twice or twice in different case (the decoder keeps the last),
// and a key that names a field only case-insensitively (the decoder takes
// it). Unknown fields, wrong types and trailing data are refused too. The
// error it returns is ready to send; its message never repeats the body.
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
	if e := walkBody(body, reflect.TypeOf(v).Elem()); e != nil {
		return badBody(e)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		// The walk has seen the shape; what is left is a value Go cannot
		// hold, such as a number too large for its field.
		return badBody(fromDecoder(err))
	}
	return nil
}

// isJSON tells whether a request's Content-Type headers say JSON: none at
// all (accepted as ever, and documented so), or one media type
// application/json in any case, with no parameter but charset=utf-8. JSON is UTF-8 (RFC 8259),
// so another charset would be read wrongly; application/json-seq and
// similar types are other formats.
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

func join(path, key string) string {
	if path == "" {
		return segment(key)
	}
	return path + "." + segment(key)
}

// walkBody checks body token by token against t, the type it will be
// decoded into: one JSON object, each key once and in the field's exact
// case, each value of the field's JSON kind, and nothing after it.
func walkBody(body []byte, t reflect.Type) *bodyError {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	wk := &walker{dec: dec}
	tok, err := dec.Token()
	if err == io.EOF {
		return &bodyError{message: "the request body is empty"}
	}
	if err != nil {
		return wk.syntax(err)
	}
	if tok != json.Delim('{') {
		return &bodyError{message: "the request body must be one JSON object"}
	}
	if e := wk.object(t); e != nil {
		return e
	}
	if _, err := dec.Token(); err != io.EOF {
		return &bodyError{message: "the request body has data after its JSON object"}
	}
	return nil
}

type walker struct {
	dec *json.Decoder
	// path is where the walk is: keys, as segment shows them, and "[i]"
	// for array elements. It is joined only for an answer, so that deep
	// nesting costs no more than shallow.
	path []string
}

// at is the current path, such as contact.phone or list[1].name.
func (wk *walker) at() string {
	var b strings.Builder
	for i, seg := range wk.path {
		if i > 0 && !strings.HasPrefix(seg, "[") {
			b.WriteByte('.')
		}
		b.WriteString(seg)
	}
	return b.String()
}

// syntax describes a failure to read the next token of a body that is not
// empty.
func (wk *walker) syntax(err error) *bodyError {
	var syntax *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &bodyError{message: "the request body ends in the middle of a JSON value"}
	case errors.As(err, &syntax):
		return &bodyError{message: "the request body is not valid JSON (at byte " + strconv.FormatInt(syntax.Offset, 10) + ")"}
	}
	return &bodyError{message: "the request body is not valid JSON"}
}

var (
	typeUnmarshaler     = reflect.TypeFor[json.Unmarshaler]()
	typeTextUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// custom tells whether t reads its own JSON, as time.Time does.
func custom(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(typeUnmarshaler) || p.Implements(typeTextUnmarshaler)
}

// value checks the value that starts with tok against t; a nil t takes any
// value.
func (wk *walker) value(tok json.Token, t reflect.Type) *bodyError {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && t.Kind() == reflect.Interface {
		t = nil
	}
	if tok == nil {
		return nil // null leaves a field as it is, as encoding/json does
	}
	if t != nil && custom(t) {
		return wk.custom(tok, t)
	}
	want := jsonKind(t)
	switch tok := tok.(type) {
	case json.Delim:
		switch {
		case tok == '{' && (want == "" || want == "object"):
			return wk.object(t)
		case tok == '[' && (want == "" || want == "array"):
			return wk.array(t)
		}
	case string:
		if want == "" || want == "string" {
			return nil
		}
	case bool:
		if want == "" || want == "boolean" {
			return nil
		}
	case json.Number:
		if want == "" || want == "number" && fitsNumber(tok, t) {
			return nil
		}
	}
	return wrongType(wk.at(), want)
}

// custom checks a value that a type reads itself. Such types here read JSON
// strings (time.Time); a string is tried the way the decoder will.
func (wk *walker) custom(tok json.Token, t reflect.Type) *bodyError {
	s, ok := tok.(string)
	if !ok {
		return wrongType(wk.at(), "string")
	}
	target := reflect.New(t).Interface()
	var err error
	if u, ok := target.(json.Unmarshaler); ok {
		raw, _ := json.Marshal(s)
		err = u.UnmarshalJSON(raw)
	} else {
		err = target.(encoding.TextUnmarshaler).UnmarshalText([]byte(s))
	}
	if err != nil {
		return &bodyError{message: "times must be RFC 3339 with an offset, such as 2026-11-24T10:00:00+01:00",
			path: wk.at(), reason: api.ReasonInvalidDate}
	}
	return nil
}

// object checks the members of an object whose '{' has been read. A
// struct's keys must be its fields' JSON names exactly; a map's may be
// anything. In both, no two keys may be equal ignoring case.
func (wk *walker) object(t reflect.Type) *bodyError {
	var fields map[string]reflect.Type
	var elem reflect.Type
	switch {
	case t == nil:
	case t.Kind() == reflect.Struct:
		fields = fieldTypes(t)
	case t.Kind() == reflect.Map:
		elem = t.Elem()
	}
	seen := map[string]bool{}
	for wk.dec.More() {
		tok, err := wk.dec.Token()
		if err != nil {
			return wk.syntax(err)
		}
		key, _ := tok.(string)
		wk.path = append(wk.path, segment(key))
		folded := strings.ToLower(key)
		if seen[folded] {
			return &bodyError{message: "the request body names a field twice, or twice in different case; see fields",
				path: wk.at(), reason: api.ReasonDuplicateField}
		}
		seen[folded] = true
		ft := elem
		if fields != nil {
			var known bool
			if ft, known = fields[key]; !known {
				return unknownField(fields, key, wk.at())
			}
		}
		tok, err = wk.dec.Token()
		if err != nil {
			return wk.syntax(err)
		}
		if e := wk.value(tok, ft); e != nil {
			return e
		}
		wk.path = wk.path[:len(wk.path)-1]
	}
	if _, err := wk.dec.Token(); err != nil { // the closing '}'
		return wk.syntax(err)
	}
	return nil
}

// unknownField tells a key that names a field in another case from one
// that names none. Only a plausible key can be a field in another case.
func unknownField(fields map[string]reflect.Type, key, at string) *bodyError {
	if segment(key) == key {
		for name := range fields {
			if strings.EqualFold(name, key) {
				return &bodyError{message: "field names are case-sensitive, and one differs from the API's only in case; see fields",
					path: at, reason: api.ReasonWrongCase}
			}
		}
	}
	return &bodyError{message: "the request body has a field this operation does not take; see fields",
		path: at, reason: api.ReasonUnknownField}
}

// array checks the elements of an array whose '[' has been read.
func (wk *walker) array(t reflect.Type) *bodyError {
	var elem reflect.Type
	if t != nil {
		elem = t.Elem()
	}
	for i := 0; wk.dec.More(); i++ {
		tok, err := wk.dec.Token()
		if err != nil {
			return wk.syntax(err)
		}
		wk.path = append(wk.path, "["+strconv.Itoa(i)+"]")
		if e := wk.value(tok, elem); e != nil {
			return e
		}
		wk.path = wk.path[:len(wk.path)-1]
	}
	if _, err := wk.dec.Token(); err != nil { // the closing ']'
		return wk.syntax(err)
	}
	return nil
}

// fieldTypes maps the JSON names of t's fields to their types, as
// encoding/json names them. (The request types embed no structs.)
func fieldTypes(t reflect.Type) map[string]reflect.Type {
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

// fitsNumber tells whether n can be held by t: a whole number in range for
// an integer.
func fitsNumber(n json.Number, t reflect.Type) bool {
	if t == nil {
		return true
	}
	var err error
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		_, err = strconv.ParseInt(string(n), 10, t.Bits())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		_, err = strconv.ParseUint(string(n), 10, t.Bits())
	default:
		_, err = strconv.ParseFloat(string(n), t.Bits())
	}
	return err == nil
}

func wrongType(path, want string) *bodyError {
	return &bodyError{message: "a field must be a JSON " + want + "; see fields", path: path, reason: api.ReasonWrongType}
}

// jsonKind is the JSON kind that Go type t holds; "" for any.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return ""
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
	return ""
}

// fromDecoder describes an error of encoding/json after a successful walk,
// without repeating the body.
func fromDecoder(err error) *bodyError {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		path := ""
		for _, key := range strings.Split(typ.Field, ".") {
			if key != "" {
				path = join(path, key)
			}
		}
		return wrongType(path, jsonKind(typ.Type))
	}
	return &bodyError{message: "the request body does not have the expected shape"}
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
	json.NewEncoder(w).Encode(v)
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
