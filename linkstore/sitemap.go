package linkstore

import (
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"

	"linkbase/account"
)

// SitemapURLsPerFile is how many profile URLs one sitemap lists, the
// sitemap protocol's limit. With more profiles, /sitemap.xml is an index
// of pages (/sitemap.xml?page=N). A variable so that tests can lower it.
var SitemapURLsPerFile = 50_000

// sitemapCacheSize bounds the sitemap files kept (a full one is a few
// MiB); they are rebuilt after profileCacheTTL, so a new profile is listed
// within that time.
const sitemapCacheSize = 8

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

type urlSet struct {
	XMLName xml.Name `xml:"urlset"`
	NS      string   `xml:"xmlns,attr"`
	URLs    []urlLoc `xml:"url"`
}

type sitemapIndex struct {
	XMLName  xml.Name `xml:"sitemapindex"`
	NS       string   `xml:"xmlns,attr"`
	Sitemaps []urlLoc `xml:"sitemap"`
}

type urlLoc struct {
	Loc string `xml:"loc"`
}

// Sitemap returns /sitemap.xml (page 0): every public profile's page, or,
// beyond SitemapURLsPerFile of them, an index of the pages; and page N
// (1, 2, …) of that index. A page past the last is ErrNotFound. Disabled
// users are left out, as their pages answer 404.
func (s *Store) Sitemap(page int) ([]byte, error) {
	if page < 0 {
		return nil, ErrNotFound
	}
	return s.sitemaps.Get(strconv.Itoa(page), func() ([]byte, error) {
		appURL := strings.TrimRight(s.app.Settings().Meta.AppURL, "/")
		var total int
		err := s.app.DB().NewQuery("SELECT COUNT(*) FROM {{users}} WHERE [[disabled]] = FALSE").Row(&total)
		if err != nil {
			return nil, err
		}
		pages := (total + SitemapURLsPerFile - 1) / SitemapURLsPerFile
		var doc any
		switch {
		case page == 0 && pages > 1:
			index := sitemapIndex{NS: sitemapNS}
			for i := 1; i <= pages; i++ {
				index.Sitemaps = append(index.Sitemaps, urlLoc{appURL + "/sitemap.xml?page=" + strconv.Itoa(i)})
			}
			doc = index
		case page > max(pages, 1):
			return nil, ErrNotFound
		default:
			set, err := s.sitemapPage(appURL, max(page, 1))
			if err != nil {
				return nil, err
			}
			doc = set
		}
		out, err := xml.Marshal(doc)
		return append([]byte(xml.Header), out...), err
	})
}

// sitemapPage lists the profiles of page n (from 1), in id order.
func (s *Store) sitemapPage(appURL string, n int) (urlSet, error) {
	var names []string
	err := s.app.DB().NewQuery("SELECT [[username]] FROM {{users}} WHERE [[disabled]] = FALSE ORDER BY [[id]] LIMIT {:limit} OFFSET {:offset}").
		Bind(dbx.Params{"limit": SitemapURLsPerFile, "offset": (n - 1) * SitemapURLsPerFile}).Column(&names)
	if err != nil {
		return urlSet{}, err
	}
	set := urlSet{NS: sitemapNS, URLs: []urlLoc{}}
	for _, name := range names {
		if account.ValidateUsername(name) == nil && !account.IsReservedUsername(name) {
			set.URLs = append(set.URLs, urlLoc{appURL + "/" + name})
		}
	}
	return set, nil
}
