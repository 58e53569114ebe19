package routes

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/account"
	"linkbase/linkbio"
	"linkbase/schema"
)

// publicProfile is the JSON of GET /api/profiles/{username} (API.md).
type publicProfile struct {
	Username    string        `json:"username"`
	DisplayName string        `json:"display_name"`
	Bio         string        `json:"bio"`
	AvatarURL   string        `json:"avatar_url"`
	Theme       linkbio.Theme `json:"theme"`
	Links       []publicLink  `json:"links"`
}

type publicLink struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	URL      string `json:"url"`
	ClickURL string `json:"click_url"`
}

// cachedProfile is a profile rendered once for every representation.
type cachedProfile struct {
	ownerID string
	pageURL string
	data    publicProfile
	json    []byte
	page    []byte
	css     []byte
	etag    string // of the JSON; the page and the CSS add a suffix
	expires time.Time
}

// profileFor answers a profile from the cache, loading it on a miss; nil
// for an unknown, invalid or disabled username.
func (s *site) profileFor(app core.App, username string) (*cachedProfile, error) {
	norm := account.NormalizeUsername(username)
	if len(norm) != len(username) || account.ValidateUsername(norm) != nil {
		return nil, nil // padded with spaces, or not a username at all
	}
	username = norm
	now := s.now()
	p, gen := s.cache.get(username, now)
	if p != nil {
		return p, nil
	}
	p, err := loadProfile(app, username, now)
	if err != nil || p == nil {
		return nil, err
	}
	s.cache.put(username, p, gen)
	return p, nil
}

// loadProfile reads a profile and its links visible at now, and renders it.
func loadProfile(app core.App, username string, now time.Time) (*cachedProfile, error) {
	// COLLATE NOCASE lets SQLite use the unique username index, which is
	// case-insensitive; usernames are stored lowercase anyway.
	user := &core.Record{}
	err := app.RecordQuery(schema.Users).
		AndWhere(dbx.NewExp("[[username]] = {:username} COLLATE NOCASE", dbx.Params{"username": username})).
		Limit(1).One(user)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && user.GetBool(schema.UserDisabled)) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	links, err := app.FindRecordsByFilter(schema.Links, "owner = {:owner} && enabled = true",
		"position,created", schema.MaxLinksPerUser*2, 0, dbx.Params{"owner": user.Id})
	if err != nil {
		return nil, err
	}

	appURL := strings.TrimRight(app.Settings().Meta.AppURL, "/")
	rawTheme, _ := user.GetRaw(schema.UserTheme).(types.JSONRaw)
	theme, err := linkbio.ParseTheme(rawTheme)
	if err != nil {
		theme = linkbio.Theme{} // stored before validation existed: show the default
	}
	p := &cachedProfile{
		ownerID: user.Id,
		pageURL: appURL + "/" + username,
		expires: now.Add(profileCacheTTL),
		data: publicProfile{
			Username: username, DisplayName: user.GetString(schema.UserDisplayName),
			Bio: user.GetString(schema.UserBio), AvatarURL: avatarURL(appURL, user, "400x400"),
			Theme: theme, Links: []publicLink{},
		},
	}
	for _, l := range links {
		sched := linkSchedule(l)
		if next := sched.NextChange(now); !next.IsZero() && next.Before(p.expires) {
			p.expires = next
		}
		if !sched.VisibleAt(now) {
			continue
		}
		p.data.Links = append(p.data.Links, publicLink{
			ID: l.Id, Title: l.GetString(schema.LinkTitle), URL: l.GetString(schema.LinkURL),
			ClickURL: appURL + "/l/" + l.Id,
		})
	}

	if p.json, err = json.Marshal(p.data); err != nil {
		return nil, err
	}
	// The page and stylesheet derive from the JSON, the page URL and this
	// build's templates, so the ETag changes whenever any of them does.
	sum := sha256.Sum256(append([]byte(renderVersion+p.pageURL+"\x00"), p.json...))
	p.etag = hex.EncodeToString(sum[:12])
	p.css = themeCSS(theme.WithDefaults())
	if p.page, err = renderProfilePage(p); err != nil {
		return nil, err
	}
	return p, nil
}

func linkSchedule(link *core.Record) linkbio.Schedule {
	return linkbio.Schedule{
		Enabled:  link.GetBool(schema.LinkEnabled),
		StartsAt: link.GetDateTime(schema.LinkStartsAt).Time(),
		EndsAt:   link.GetDateTime(schema.LinkEndsAt).Time(),
	}
}

func avatarURL(appURL string, user *core.Record, thumb string) string {
	avatar := user.GetString(schema.UserAvatar)
	if avatar == "" {
		return ""
	}
	return appURL + "/api/files/" + user.Collection().Id + "/" + user.Id + "/" + url.PathEscape(avatar) + "?thumb=" + thumb
}

// notModified sets the validators of a cacheable answer and reports
// whether the client already holds it. no-cache lets browsers and proxies
// keep the body but revalidate every time, so an edit shows at once and a
// page view is still counted.
func notModified(e *core.RequestEvent, etag string) bool {
	quoted := `"` + etag + `"`
	e.Response.Header().Set("ETag", quoted)
	e.Response.Header().Set("Cache-Control", "public, no-cache")
	for _, t := range strings.Split(e.Request.Header.Get("If-None-Match"), ",") {
		if t = strings.TrimPrefix(strings.TrimSpace(t), "W/"); t == quoted || t == "*" {
			return true
		}
	}
	return false
}

func (s *site) handleProfileJSON(e *core.RequestEvent) error {
	p, err := s.profileFor(e.App, e.Request.PathValue("username"))
	if err != nil {
		return e.InternalServerError("", err)
	}
	if p == nil {
		return e.NotFoundError("Profile not found.", nil)
	}
	if notModified(e, p.etag) {
		return e.NoContent(http.StatusNotModified)
	}
	return e.Blob(http.StatusOK, "application/json", p.json)
}
