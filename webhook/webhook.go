// Package webhook holds the rules of Linkbase's outgoing webhooks, per the
// Standard Webhooks specification (https://www.standardwebhooks.com): the
// events, the message envelope, the signature, the retry schedule, and
// which targets a delivery may reach. It knows nothing of PocketBase or of
// the network; webhookstore sends what it describes.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// The events a webhook can subscribe to.
const (
	UserCreated        = "user.created"
	ReferralCreated    = "referral.created"
	ReferralSuccessful = "referral.successful"
	ReferralRejected   = "referral.rejected"
	ReferralExpired    = "referral.expired"
	RewardGranted      = "reward.granted"
)

// Events are every event, in the order the dashboard shows them.
var Events = []string{UserCreated, ReferralCreated, ReferralSuccessful, ReferralRejected, ReferralExpired, RewardGranted}

// Envelope is the body of a delivery: {"type", "timestamp", "data"}.
type Envelope struct {
	Type      string `json:"type"`
	Timestamp string `json:"timestamp"` // when the event happened, RFC 3339 in UTC
	Data      any    `json:"data"`
}

// Body is the JSON of an event of type typ at at, carrying data.
func Body(typ string, at time.Time, data any) ([]byte, error) {
	return json.Marshal(Envelope{Type: typ, Timestamp: at.UTC().Format(time.RFC3339Nano), Data: data})
}

// The headers of a delivery.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// secretPrefix marks a secret written as base64, the specification's
// format; the key is the decoded bytes.
const secretPrefix = "whsec_"

// Key sizes the specification recommends for secrets.
const minKeyBytes, maxKeyBytes = 24, 64

// ErrSecretInvalid reports a secret that cannot sign: a whsec_ secret that
// is not base64 of 24 to 64 bytes, or a plain one shorter than 24 bytes.
var ErrSecretInvalid = errors.New("invalid webhook secret")

// Key is the signing key of secret: a whsec_<base64> secret decoded, any
// other secret's bytes as they are.
func Key(secret string) ([]byte, error) {
	if rest, ok := strings.CutPrefix(secret, secretPrefix); ok {
		key, err := base64.StdEncoding.DecodeString(rest)
		if err != nil || len(key) < minKeyBytes || len(key) > maxKeyBytes {
			return nil, ErrSecretInvalid
		}
		return key, nil
	}
	if len(secret) < minKeyBytes {
		return nil, ErrSecretInvalid
	}
	return []byte(secret), nil
}

// NewSecret draws a whsec_ secret of 32 random bytes from random.
func NewSecret(random io.Reader) (string, error) {
	key := make([]byte, 32)
	if _, err := io.ReadFull(random, key); err != nil {
		return "", fmt.Errorf("reading randomness: %w", err)
	}
	return secretPrefix + base64.StdEncoding.EncodeToString(key), nil
}

// Sign is the webhook-signature header of a delivery: "v1," and the base64
// HMAC-SHA256, under key, of "<id>.<timestamp>.<body>" (timestamp in Unix
// seconds, as in the webhook-timestamp header).
func Sign(key []byte, id string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id))
	mac.Write([]byte{'.'})
	mac.Write([]byte(strconv.FormatInt(timestamp, 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// NewMessageID draws a message id (the webhook-id header, the same on
// every retry of one message) from random.
func NewMessageID(random io.Reader) (string, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(random, b); err != nil {
		return "", fmt.Errorf("reading randomness: %w", err)
	}
	return "msg_" + strings.ToLower(base32NoPad.EncodeToString(b)), nil
}

// RetryDelays are the waits before each retry of a failed delivery, the
// schedule the specification's reference implementation uses: the first
// retry after 5 seconds, the last about 27.5 hours after the first
// attempt. A message still failing then is given up.
var RetryDelays = []time.Duration{
	5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour,
}

// NextRetry is the wait before the next attempt after attempts failed
// ones, or false when the message is given up.
func NextRetry(attempts int) (time.Duration, bool) {
	if attempts < 1 || attempts > len(RetryDelays) {
		return 0, false
	}
	return RetryDelays[attempts-1], true
}

// Timeout bounds one attempt: a 2xx answer within it is a delivery.
const Timeout = 10 * time.Second

// Delivered reports whether an answer's status code is a delivery.
func Delivered(status int) bool { return status >= 200 && status < 300 }
