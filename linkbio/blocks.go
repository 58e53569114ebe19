package linkbio

import "errors"

// Kinds of the blocks of a page, the links collection's kind field: a link
// (a button to a URL, the default) or a header (a section title that
// groups the links below it, with no URL).
const (
	KindLink   = "link"
	KindHeader = "header"
)

// Kinds lists every kind of block.
var Kinds = []string{KindLink, KindHeader}

// Errors about blocks.
var (
	ErrKindInvalid = errors.New("unknown block kind")
	ErrHeaderURL   = errors.New("a header has no url")
)

// NormalizeKind returns the kind a block is stored and shown as: a block
// written without one (every link made before headers existed, and any
// client that does not know about them) is a link.
func NormalizeKind(kind string) string {
	if kind == "" {
		return KindLink
	}
	return kind
}

// CheckBlock reports what is wrong with a block's kind and URL, each on its
// own so that both fields can be named at once: an unknown kind, a link
// whose URL ValidateURL refuses, or a header with a URL.
func CheckBlock(kind, url string) (kindErr, urlErr error) {
	switch NormalizeKind(kind) {
	case KindLink:
		return nil, ValidateURL(url)
	case KindHeader:
		if url != "" {
			return nil, ErrHeaderURL
		}
		return nil, nil
	}
	return ErrKindInvalid, nil
}
