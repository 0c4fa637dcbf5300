package gateway

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/digitalebalie/balie/app/api"
)

// decodeBody reads exactly one JSON value of v's shape from a body of at
// most api.MaxBodyBytes. Unknown fields, wrong types and trailing data are
// refused. The error it returns is ready to send.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) *apiError {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &apiError{http.StatusUnsupportedMediaType, api.ErrorBody{Error: api.ErrorDetail{
			Code: api.CodeBadRequest, Message: "the request body must be application/json"}}}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, api.MaxBodyBytes))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = errors.New("trailing data after the JSON value")
		}
	}
	if err == nil {
		return nil
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &apiError{http.StatusRequestEntityTooLarge, api.NewError(api.CodeTooLarge, nil)}
	}
	return &apiError{http.StatusBadRequest, api.ErrorBody{Error: api.ErrorDetail{
		Code: api.CodeBadRequest, Message: describe(err), Fields: fieldOf(err)}}}
}

// describe says what is wrong with the JSON without echoing its content,
// which may be personal data.
func describe(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "the request body is empty"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the request body ends in the middle of a JSON value"
	case errors.As(err, &syntax):
		return fmt.Sprintf("the request body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q must be a JSON %s", typ.Field, jsonKind(typ.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	case strings.Contains(err.Error(), "parsing time"):
		return "times must be RFC 3339 with an offset, such as 2026-11-24T10:00:00+01:00"
	}
	return "the request body does not have the expected shape"
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "int", "int64", "float64":
		return "number"
	case "struct", "map":
		return "object"
	case "slice":
		return "array"
	}
	return goKind
}

// fieldOf names the offending field when the decoder says which one.
func fieldOf(err error) map[string]string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) && typ.Field != "" {
		return map[string]string{typ.Field: "wrong_type"}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return map[string]string{strings.Trim(name, `"`): "unknown_field"}
	}
	return nil
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
