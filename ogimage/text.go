package ogimage

import (
	"strings"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

const ellipsis = "…"

// drawable keeps the characters face has a glyph for, with runs of spaces
// and control characters made one space. The Go fonts cover Latin, Greek
// and Cyrillic: emoji and other scripts are left out rather than drawn as
// empty boxes.
func drawable(face font.Face, s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = b.Len() > 0
			continue
		}
		if _, ok := face.GlyphAdvance(r); !ok {
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// wrap breaks text into at most maxLines lines no wider than width, at
// spaces where it can and inside a word too long for a line; text that
// does not fit ends its last line with an ellipsis.
func wrap(face font.Face, text string, width fixed.Int26_6, maxLines int) []string {
	var lines []string
	line := ""
	words := strings.Fields(text)
	for i := 0; i < len(words); i++ {
		w := words[i]
		candidate := w
		if line != "" {
			candidate = line + " " + w
		}
		if font.MeasureString(face, candidate) <= width {
			line = candidate
			continue
		}
		if line == "" { // a word wider than the line: cut it
			head, tail := cut(face, w, width)
			lines = append(lines, head)
			words[i] = tail
			i--
		} else {
			lines = append(lines, line)
			line = ""
			i--
		}
		if len(lines) == maxLines { // and words[i+1:] still to place
			lines[maxLines-1] = withEllipsis(face, lines[maxLines-1], width)
			return lines
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// cut splits a word at the last rune that still fits in width (at least
// one rune, so wrapping always advances).
func cut(face font.Face, word string, width fixed.Int26_6) (head, tail string) {
	runes := []rune(word)
	n := 1
	for n < len(runes) && font.MeasureString(face, string(runes[:n+1])) <= width {
		n++
	}
	return string(runes[:n]), string(runes[n:])
}

// withEllipsis shortens line until it and an ellipsis fit in width.
func withEllipsis(face font.Face, line string, width fixed.Int26_6) string {
	runes := []rune(strings.TrimSpace(line))
	for len(runes) > 0 && font.MeasureString(face, string(runes)+ellipsis) > width {
		runes = runes[:len(runes)-1]
	}
	return strings.TrimRight(string(runes), " ") + ellipsis
}
