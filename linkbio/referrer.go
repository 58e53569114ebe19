package linkbio

import (
	"net/url"
	"strings"
)

// maxHostLength is the longest DNS name; anything longer is not a host.
const maxHostLength = 253

// ReferrerHost reduces a Referer header to its lowercased host name, the
// only part kept for analytics (paths and queries may carry personal
// data). It returns "" for a direct visit or a header that is not an
// absolute http(s) URL.
func ReferrerHost(referer string) string {
	if referer == "" || len(referer) > 4096 {
		return ""
	}
	u, err := url.Parse(referer)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if len(host) > maxHostLength {
		return ""
	}
	for _, r := range host {
		if r < '!' || r == 0x7f {
			return ""
		}
	}
	return host
}
