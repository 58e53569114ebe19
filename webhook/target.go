package webhook

import (
	"encoding/base32"
	"errors"
	"net/netip"
	"net/url"
	"strings"
)

var base32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)

// MaxURLLength bounds a webhook's URL.
const MaxURLLength = 2048

// Errors about a webhook's target.
var (
	ErrURLInvalid = errors.New("invalid webhook URL")
	ErrURLPrivate = errors.New("webhook URL on a loopback, private or link-local address")
)

// CheckURL checks a webhook's URL as an admin saves it: absolute http or
// https with a host, no credentials, at most MaxURLLength characters, and
// (unless allowPrivate) no literal internal address. A host name is
// checked again at every connection, against what it resolves to then
// (see Allowed), so DNS cannot lead a delivery inside.
func CheckURL(raw string, allowPrivate bool) error {
	if len(raw) > MaxURLLength || strings.ContainsAny(raw, " \t\r\n") {
		return ErrURLInvalid
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil || u.Opaque != "" {
		return ErrURLInvalid
	}
	if addr, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil && !allowPrivate && !Allowed(addr) {
		return ErrURLPrivate
	}
	return nil
}

// blocked are the ranges beyond the standard library's predicates that no
// delivery may reach: "this network", carrier-grade NAT, IETF protocol
// assignments, benchmarking, reserved, NAT64 and 6to4 (whose embedded
// IPv4 address could be internal), and documentation-only ranges.
var blocked = func() []netip.Prefix {
	var out []netip.Prefix
	for _, p := range []string{
		"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24",
		"203.0.113.0/24", "240.0.0.0/4", "64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "2001:db8::/32", "100::/64",
	} {
		out = append(out, netip.MustParsePrefix(p))
	}
	return out
}()

// Allowed reports whether a delivery may connect to addr: a public
// unicast address, not loopback, private (RFC 1918, unique local),
// link-local (cloud metadata endpoints), multicast, unspecified or in one
// of the blocked ranges, also when written as IPv4-mapped IPv6.
func Allowed(addr netip.Addr) bool {
	addr = addr.Unmap()
	if !addr.IsValid() || addr.IsLoopback() || addr.IsPrivate() || addr.IsLinkLocalUnicast() ||
		addr.IsLinkLocalMulticast() || addr.IsInterfaceLocalMulticast() || addr.IsMulticast() || addr.IsUnspecified() {
		return false
	}
	for _, p := range blocked {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}
