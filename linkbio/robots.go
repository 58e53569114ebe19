package linkbio

import "strings"

// robotsRules say what crawlers may index: the public profile pages (and
// their link previews) are for everyone to find; the app's own pages, API,
// click redirects and admin dashboard are not.
const robotsRules = `# Linkbase: public profile pages (/{username}) are for everyone to find;
# the app's own pages, API, click redirects and admin dashboard are not.
User-agent: *
Allow: /
Disallow: /api/
Disallow: /l/
Disallow: /_/
Disallow: /dashboard
Disallow: /login
Disallow: /register
Disallow: /forgot-password
Disallow: /reset-password
Disallow: /verify-email
Disallow: /confirm-email-change
Disallow: /oauth2-callback
`

// RobotsTxt is /robots.txt for an app served at appURL, which names its
// sitemap (crawlers need an absolute URL there).
func RobotsTxt(appURL string) []byte {
	return []byte(robotsRules + "\nSitemap: " + strings.TrimRight(appURL, "/") + "/sitemap.xml\n")
}
