// Package apidoc holds the OpenAPI 3.1 description of Linkbase's custom
// endpoints (openapi.json), served at GET /api/openapi.json. Tests check
// that every custom /api route is in it and validate real answers against
// it, so a new endpoint or a changed answer must be written down here.
package apidoc

import (
	_ "embed"
	"encoding/json"
	"strings"
)

//go:embed openapi.json
var document []byte

// Raw is the document as written.
func Raw() []byte { return document }

// ForServer is the document with its server set to the app URL, so tools
// that load it call the app it came from.
func ForServer(appURL string) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(document, &doc); err != nil {
		return nil, err
	}
	doc["servers"] = []map[string]string{{"url": strings.TrimRight(appURL, "/")}}
	return json.Marshal(doc)
}
