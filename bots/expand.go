package bots

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"unicode"
)

// beginByte and endByte stand for ^ and $ in the expanded patterns: the
// text scanned is beginByte + user agent + endByte.
const (
	beginByte = '\x01'
	endByte   = '\x02'
)

// maxExpansion bounds the strings one pattern may expand to ("[wW]get" is
// two); a pattern beyond it stays a regular expression.
const maxExpansion = 64

// minPrefilter is the shortest required substring worth trying before a
// regular expression; the shipped list never needs a shorter one.
const minPrefilter = 4

// expandPattern turns a crawler pattern into the finite set of strings a
// user agent matches it by containing one of (with ^ and $ as beginByte
// and endByte), or, when the pattern has repetitions or large classes, into
// a regular expression guarded by a substring every match contains.
func expandPattern(pattern string) ([]string, *prefilteredRegexp, error) {
	parsed, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, nil, fmt.Errorf("bots: pattern %q: %w", pattern, err)
	}
	parsed = parsed.Simplify()
	if lits, ok := expand(parsed); ok && !hasEmpty(lits) {
		return lits, nil, nil
	}
	pre := requiredLiteral(parsed)
	if len(pre) < minPrefilter {
		return nil, nil, fmt.Errorf("bots: pattern %q has no literal of %d bytes to look for first", pattern, minPrefilter)
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, nil, fmt.Errorf("bots: pattern %q: %w", pattern, err)
	}
	return nil, &prefilteredRegexp{prefilter: pre, re: re}, nil
}

func hasEmpty(lits []string) bool {
	for _, l := range lits {
		if l == "" {
			return true
		}
	}
	return false
}

// expand lists the strings re matches, when they are few and finite.
func expand(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpLiteral:
		return foldCase(re, []string{string(re.Rune)})
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if int(re.Rune[i+1]-re.Rune[i]) >= maxExpansion {
				return nil, false
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				out = append(out, string(r))
			}
		}
		return out, len(out) <= maxExpansion
	case syntax.OpBeginLine, syntax.OpBeginText:
		return []string{string(rune(beginByte))}, true
	case syntax.OpEndLine, syntax.OpEndText:
		return []string{string(rune(endByte))}, true
	case syntax.OpCapture:
		return expand(re.Sub[0])
	case syntax.OpQuest:
		sub, ok := expand(re.Sub[0])
		return append(sub, ""), ok
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range re.Sub {
			part, ok := expand(s)
			if out, ok = product(out, part, ok); !ok {
				return nil, false
			}
		}
		return out, true
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			part, ok := expand(s)
			if !ok {
				return nil, false
			}
			out = append(out, part...)
		}
		return out, len(out) <= maxExpansion
	}
	return nil, false // repetitions, any character, word boundaries
}

// foldCase expands a case-insensitive literal ((?i)bot) to its spellings.
func foldCase(re *syntax.Regexp, lits []string) ([]string, bool) {
	if re.Flags&syntax.FoldCase == 0 {
		return lits, true
	}
	out, ok := []string{""}, true
	for _, r := range lits[0] {
		forms := []string{string(unicode.ToLower(r))}
		if up := string(unicode.ToUpper(r)); up != forms[0] {
			forms = append(forms, up)
		}
		if out, ok = product(out, forms, ok); !ok {
			return nil, false
		}
	}
	return out, true
}

// product appends every string of b to every string of a, unless ok is
// already false or the result would pass maxExpansion.
func product(a, b []string, ok bool) ([]string, bool) {
	if !ok || len(a)*len(b) > maxExpansion {
		return nil, false
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out, true
}

// requiredLiteral returns the longest string that every match of re
// contains, or "" when there is none.
func requiredLiteral(re *syntax.Regexp) string {
	if re.Flags&syntax.FoldCase != 0 {
		return ""
	}
	switch re.Op {
	case syntax.OpLiteral:
		return string(re.Rune)
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiteral(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiteral(re.Sub[0])
		}
	case syntax.OpConcat:
		longest := ""
		for _, s := range re.Sub {
			if l := requiredLiteral(s); len(l) > len(longest) {
				longest = l
			}
		}
		return longest
	}
	return ""
}
