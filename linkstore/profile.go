package linkstore

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/account"
	"linkbase/accountstore"
	"linkbase/linkbio"
	"linkbase/schema"
	"linkbase/socialicons"
)

// ErrNotFound is the answer for an unknown, invalid or disabled username,
// and for an unknown, hidden or closed link: all look the same outside.
var ErrNotFound = errors.New("not found")

// PublicProfile is the JSON of GET /api/profiles/{username} (API.md).
type PublicProfile struct {
	Username    string           `json:"username"`
	DisplayName string           `json:"display_name"`
	Bio         string           `json:"bio"`
	AvatarURL   string           `json:"avatar_url"`
	Theme       linkbio.Theme    `json:"theme"`
	Socials     []linkbio.Social `json:"socials"`
	Links       []PublicLink     `json:"links"`
}

// PublicLink is a shown block of a PublicProfile: a link, or a section
// header (kind "header", with no url and no click_url).
type PublicLink struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	URL      string `json:"url"`
	ClickURL string `json:"click_url"`
}

// Profile is a public profile rendered once for every representation; it
// is shared by every reader and never modified once cached.
type Profile struct {
	OwnerID string
	PageURL string // the page's canonical URL, from the app URL
	Data    PublicProfile
	JSON    []byte
	Page    []byte // the HTML page
	CSS     []byte // the theme's stylesheet
	ETag    string // of the JSON; the page and the CSS add a suffix

	nextChange time.Time // when one of its links is next scheduled to show or hide
	avatar     avatarFile
}

// avatarFile locates a profile's avatar in the app's file storage ("" Name
// for none), for its link preview.
type avatarFile struct{ Collection, Record, Name string }

// Profile returns the profile of username, from the cache or loaded and
// rendered; ErrNotFound for an unknown, invalid or disabled username. A
// cached profile lives until a write to the user or their links
// invalidates it, one of its links' schedule next changes, or the TTL.
func (s *Store) Profile(username string) (*Profile, error) {
	key, ok := profileKey(username)
	if !ok {
		return nil, ErrNotFound
	}
	return s.profiles.Get(key, func() (*Profile, error) { return s.loadProfile(key, s.clock()) })
}

// profileKey is the username a profile is cached under, or false for a
// name that is padded with spaces or not a username at all.
func profileKey(username string) (string, bool) {
	norm := account.NormalizeUsername(username)
	return norm, len(norm) == len(username) && account.ValidateUsername(norm) == nil
}

// loadProfile reads a profile and its links visible at now, and renders it.
func (s *Store) loadProfile(username string, now time.Time) (*Profile, error) {
	app := s.app
	user, err := accountstore.FindUserByIdentity(app, username)
	if err != nil {
		return nil, err
	}
	if user == nil || user.GetBool(schema.UserDisabled) {
		return nil, ErrNotFound
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
	rawSocials, _ := user.GetRaw(schema.UserSocials).(types.JSONRaw)
	socials, err := linkbio.ParseSocials(rawSocials)
	if err != nil {
		socials = []linkbio.Social{} // checked by the users' hook on every write
	}
	p := &Profile{
		OwnerID: user.Id,
		PageURL: appURL + "/" + username,
		Data: PublicProfile{
			Username: username, DisplayName: user.GetString(schema.UserDisplayName),
			Bio: user.GetString(schema.UserBio), AvatarURL: AvatarURL(appURL, user, "400x400"),
			Theme: theme, Socials: socials, Links: []PublicLink{},
		},
		avatar: avatarFile{user.Collection().Id, user.Id, user.GetString(schema.UserAvatar)},
	}
	for _, l := range links {
		sched := ScheduleOf(l)
		if next := sched.NextChange(now); !next.IsZero() && (p.nextChange.IsZero() || next.Before(p.nextChange)) {
			p.nextChange = next
		}
		if !sched.VisibleAt(now) {
			continue
		}
		block := PublicLink{ID: l.Id, Kind: linkbio.NormalizeKind(l.GetString(schema.LinkKind)), Title: l.GetString(schema.LinkTitle)}
		if block.Kind == linkbio.KindLink {
			block.URL, block.ClickURL = l.GetString(schema.LinkURL), appURL+"/l/"+l.Id
		}
		p.Data.Links = append(p.Data.Links, block)
	}
	return p, p.render()
}

// render fills the JSON, ETag, page and stylesheet of p from its data.
func (p *Profile) render() error {
	var err error
	if p.JSON, err = json.Marshal(p.Data); err != nil {
		return err
	}
	// The page and stylesheet derive from the JSON, the page URL and this
	// build's templates, so the ETag changes whenever any of them does.
	sum := sha256.Sum256(append([]byte(linkbio.RenderVersion+p.PageURL+"\x00"), p.JSON...))
	p.ETag = hex.EncodeToString(sum[:12])
	p.CSS = linkbio.ThemeCSS(p.Data.Theme.WithDefaults())
	page := linkbio.Page{
		Username: p.Data.Username, DisplayName: p.Data.DisplayName, Bio: p.Data.Bio,
		AvatarURL: p.Data.AvatarURL, PageURL: p.PageURL, Theme: p.Data.Theme,
		StylesheetURL: "/api/profiles/" + url.PathEscape(p.Data.Username) + "/theme.css?v=" + p.ETag,
		PreviewURL:    p.PageURL + "/og.png?v=" + p.ETag,
	}
	for _, soc := range p.Data.Socials {
		page.Socials = append(page.Socials, linkbio.PageSocial{Label: socialicons.Label(soc.Platform), URL: soc.URL, Icon: socialicons.SVG(soc.Platform)})
	}
	for _, l := range p.Data.Links {
		page.Blocks = append(page.Blocks, linkbio.PageBlock{Header: l.Kind == linkbio.KindHeader, Title: l.Title, ClickURL: l.ClickURL})
	}
	p.Page, err = linkbio.RenderPage(page)
	return err
}

// ScheduleOf is the schedule of a links record.
func ScheduleOf(link *core.Record) linkbio.Schedule {
	return linkbio.Schedule{
		Enabled:  link.GetBool(schema.LinkEnabled),
		StartsAt: link.GetDateTime(schema.LinkStartsAt).Time(),
		EndsAt:   link.GetDateTime(schema.LinkEndsAt).Time(),
	}
}

// AvatarURL is the URL of user's avatar under appURL ("" without one), as
// a thumbnail of the given size ("" for the original).
func AvatarURL(appURL string, user *core.Record, thumb string) string {
	avatar := user.GetString(schema.UserAvatar)
	if avatar == "" {
		return ""
	}
	u := appURL + "/api/files/" + user.Collection().Id + "/" + user.Id + "/" + url.PathEscape(avatar)
	if thumb != "" {
		u += "?thumb=" + thumb
	}
	return u
}
