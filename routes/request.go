package routes

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"linkbase/apperr"
)

// readJSON decodes a JSON object body into fields, a map from each known
// name to a pointer (*string, *bool or *[]string). Unknown names are ignored, never
// stored; a known name with a value of the wrong type is reported as a field
// error (invalid_type) so that it joins the form's other field errors. A
// body that is not a JSON object in valid UTF-8 is refused whole.
func readJSON(e *core.RequestEvent, fields map[string]any) (validation.Errors, error) {
	body, err := io.ReadAll(e.Request.Body)
	if err != nil {
		var apiErr *router.ApiError
		if errors.As(err, &apiErr) {
			return nil, apiErr // e.g. 413 from the body limit
		}
		return nil, e.BadRequestError("Failed to read the request body.", err)
	}
	// PocketBase's own readers (RequestInfo, the MFA step) read the body
	// again: hand them this copy rather than count it twice against the
	// body limit.
	e.Request.Body = &router.RereadableReadCloser{ReadCloser: io.NopCloser(bytes.NewReader(body))}
	if len(body) == 0 {
		return validation.Errors{}, nil
	}
	if !utf8.Valid(body) {
		return nil, e.BadRequestError("The request body must be valid UTF-8.", nil)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, e.BadRequestError("The request body must be a JSON object.", nil)
	}

	errs := validation.Errors{}
	for name, target := range fields {
		value, ok := raw[name]
		if !ok || string(value) == "null" {
			continue
		}
		if err := json.Unmarshal(value, target); err != nil {
			errs[name] = invalidType(target)
		}
	}
	return errs, nil
}

// checkField adds name's error to errs unless it already has one (a wrong
// JSON type): required when value is empty, else the field error of rule's
// domain error, if any. A nil rule only requires the field.
func checkField(errs validation.Errors, name, value string, rule func() error) {
	if _, bad := errs[name]; bad {
		return
	}
	if value == "" {
		errs[name] = apperr.Required
	} else if rule != nil {
		if err := rule(); err != nil {
			errs[name] = apperr.Field(err)
		}
	}
}

func invalidType(target any) validation.Error {
	kind := "a string"
	switch target.(type) {
	case *bool:
		kind = "a boolean"
	case *[]string:
		kind = "a list of strings"
	}
	return validation.NewError("invalid_type", "Must be "+kind+".")
}
