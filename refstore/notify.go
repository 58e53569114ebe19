package refstore

import (
	"context"
	"errors"
	"time"

	"linkbase/mail"
	"linkbase/schema"
)

// Referral notices are a digest, so that a burst of 200 successes is one
// mail and not 200: each success and milestone is noted in memory (after
// its transaction commits) and the notice flusher mails each referrer one
// summary of what was noted since its last flush, through the mailer's
// per-address throttle (at most one referral mail per ThrottleWindow).
// What the throttle holds back is put back for a later flush. Notices are
// best effort, like every mail: a crash loses the last flush interval's.
const (
	// noticeEvery is how often noted notices are mailed.
	noticeEvery = 30 * time.Second
	// maxNoticeKeys bounds the digest's memory: one key per referrer (and
	// milestone) with news; past it new news is dropped.
	maxNoticeKeys = 100_000
)

// notice is one referrer's news: successes (milestone 0) or a milestone
// reached, with its bonus.
type notice struct {
	user              string
	milestone, reward int
}

// NoteSuccess notes that one of referrerID's referrals turned successful.
func (s *Store) NoteSuccess(referrerID string) {
	s.notices.Add(notice{user: referrerID}, 1)
}

// NoteMilestone notes that referrerID reached the milestone of successful
// referrals, earning reward.
func (s *Store) NoteMilestone(referrerID string, successful, reward int) {
	s.notices.Add(notice{user: referrerID, milestone: successful, reward: reward}, 1)
}

// FlushNotices mails the noted notices now; the flusher does this on its
// own, tests call it.
func (s *Store) FlushNotices(ctx context.Context) error { return s.noticeFlusher.Flush(ctx) }

// news is what one referrer's mail sums up.
type news struct {
	keys []notice
	data mail.Data
}

func (s *Store) flushNotices(ctx context.Context) error {
	queue := s.notices.Drain()
	byUser := map[string]*news{}
	for k, n := range queue {
		u := byUser[k.user]
		if u == nil {
			u = &news{}
			byUser[k.user] = u
		}
		u.keys = append(u.keys, k)
		if k.milestone == 0 {
			u.data.Count += int(n)
		} else if k.milestone > u.data.Milestone {
			u.data.Milestone, u.data.Reward = k.milestone, k.reward
		}
	}
	var failed error
	for userID, u := range byUser {
		user, err := s.app.FindRecordById(schema.Users, userID)
		if isNoRows(err) {
			continue // deleted since: nobody to tell
		}
		if err != nil {
			s.restoreNotices(queue, u.keys) // a failed read is no deleted user: next time
			failed = errors.Join(failed, err)
			continue
		}
		kind := mail.ReferralNews
		if u.data.Milestone > 0 {
			kind = mail.MilestoneNews
		}
		switch err := s.mail.Notify(ctx, user, kind, u.data); {
		case errors.Is(err, mail.ErrThrottled):
			s.restoreNotices(queue, u.keys) // told within the window: next time
		case errors.Is(err, mail.ErrNotWanted):
		case err != nil:
			failed = errors.Join(failed, err) // an SMTP failure is logged, not retried forever
		}
	}
	return failed
}

func (s *Store) restoreNotices(queue map[notice]int64, keys []notice) {
	back := make(map[notice]int64, len(keys))
	for _, k := range keys {
		back[k] = queue[k]
	}
	s.notices.Restore(back)
}

// PendingNotices is the number of referrers (and milestones) with news not
// mailed yet.
func (s *Store) PendingNotices() int { return s.notices.Len() }
