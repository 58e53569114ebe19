package routes

import (
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/apperr"
	"linkbase/linkbio"
)

// maxAnalyticsDays is the longest range GET /api/analytics answers.
const maxAnalyticsDays = 365

type analyticsDay struct {
	Date   string `json:"date"`
	Views  int64  `json:"views"`
	Clicks int64  `json:"clicks"`
}

type analyticsLink struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Clicks int64  `json:"clicks"`
}

type analyticsReferrer struct {
	Host  string `json:"host"`
	Views int64  `json:"views"`
}

// handleAnalytics serves GET /api/analytics?days=N for the logged-in user:
// the daily rollups of the last N UTC days (today included) plus the counts
// still in the buffer, so the figures are exact before the next flush.
func (s *site) handleAnalytics(e *core.RequestEvent) error {
	days := 30
	if raw := e.Request.URL.Query().Get("days"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxAnalyticsDays {
			return e.BadRequestError("Invalid analytics range.", validation.Errors{"days": apperr.Field(linkbio.ErrDaysInvalid)})
		}
		days = n
	}
	owner := e.Auth.Id
	today := s.now().UTC().Truncate(24 * time.Hour)
	from := today.AddDate(0, 0, -(days - 1)).Format(linkbio.DayFormat)
	params := dbx.Params{"owner": owner, "from": from}
	db := e.App.DB()

	var dailyRows []analyticsDay
	err := db.NewQuery("SELECT [[date]], [[views]], [[clicks]] FROM {{profile_daily}} WHERE [[profile]] = {:owner} AND [[date]] >= {:from}").
		Bind(params).All(&dailyRows)
	if err != nil {
		return e.InternalServerError("", err)
	}
	var linkRows []analyticsLink
	err = db.NewQuery(`SELECT l.[[id]], l.[[title]], COALESCE(SUM(d.[[clicks]]), 0) AS clicks FROM {{links}} l
		LEFT JOIN {{link_daily}} d ON d.[[link]] = l.[[id]] AND d.[[date]] >= {:from}
		WHERE l.[[owner]] = {:owner} GROUP BY l.[[id]] ORDER BY l.[[position]], l.[[created]]`).Bind(params).All(&linkRows)
	if err != nil {
		return e.InternalServerError("", err)
	}
	var refRows []analyticsReferrer
	err = db.NewQuery(`SELECT [[host]], SUM([[views]]) AS views FROM {{referrer_daily}}
		WHERE [[profile]] = {:owner} AND [[date]] >= {:from} GROUP BY [[host]]`).Bind(params).All(&refRows)
	if err != nil {
		return e.InternalServerError("", err)
	}

	byDay := map[string]*analyticsDay{}
	daily := make([]analyticsDay, days)
	for i := range daily {
		daily[i].Date = today.AddDate(0, 0, i-(days-1)).Format(linkbio.DayFormat)
		byDay[daily[i].Date] = &daily[i]
	}
	for _, r := range dailyRows {
		if d := byDay[r.Date]; d != nil {
			d.Views += r.Views
			d.Clicks += r.Clicks
		}
	}
	linkClicks := map[string]*analyticsLink{}
	for i := range linkRows {
		linkClicks[linkRows[i].ID] = &linkRows[i]
	}
	refViews := map[string]int64{}
	for _, r := range refRows {
		refViews[r.Host] += r.Views
	}

	pending := s.counter.Pending(owner)
	for k, n := range pending.Clicks {
		if d := byDay[k.Day]; d != nil {
			d.Clicks += n
			if l := linkClicks[k.Link]; l != nil {
				l.Clicks += n
			}
		}
	}
	for k, n := range pending.Views {
		if d := byDay[k.Day]; d != nil {
			d.Views += n
			if k.Host != "" {
				refViews[k.Host] += n
			}
		}
	}

	var views, clicks int64
	for _, d := range daily {
		views += d.Views
		clicks += d.Clicks
	}
	ctr := 0.0
	if views > 0 {
		ctr = float64(clicks) / float64(views)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"views": views, "clicks": clicks, "ctr": ctr, "daily": daily,
		"links": nonNil(linkRows), "top_referrers": topReferrers(refViews, 10),
	})
}

func topReferrers(views map[string]int64, n int) []analyticsReferrer {
	out := make([]analyticsReferrer, 0, len(views))
	for host, v := range views {
		out = append(out, analyticsReferrer{Host: host, Views: v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Views != out[j].Views {
			return out[i].Views > out[j].Views
		}
		return out[i].Host < out[j].Host
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
