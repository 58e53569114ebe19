package loginguard

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"linkbase/state"
)

// DeviceLifetime is how long a browser stays known to an account after
// its last login there.
const DeviceLifetime = 180 * 24 * time.Hour

// deviceCookiePrefix starts the name of an account's device cookie (the
// account's id follows), so one browser can be known to several accounts.
const deviceCookiePrefix = "lb_device_"

// devices signs and reads device cookies: "<user id>.<expiry, Unix
// seconds>.<random id>.<HMAC-SHA256 of the rest>", bound to the account,
// expiring, and unforgeable without the install's key. The random id
// names the device's own budget.
type devices struct {
	key   func() ([]byte, error)
	clock state.Clock
}

// Remember gives the browser behind e a device cookie for user, after a
// successful login: from then on it has a budget of its own for that
// account. secure sets the cookie's Secure attribute (an https app URL).
func (g *Guard) Remember(e *core.RequestEvent, user *core.Record, secure bool) error {
	value, err := g.devices.issue(user.Id)
	if err != nil {
		return err
	}
	http.SetCookie(e.Response, &http.Cookie{
		Name: deviceCookiePrefix + user.Id, Value: value, Path: "/api", MaxAge: int(DeviceLifetime.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure,
	})
	return nil
}

func (d devices) issue(userID string) (string, error) {
	payload := userID + "." + strconv.FormatInt(d.clock().Add(DeviceLifetime).Unix(), 10) + "." + rand.Text()
	mac, err := d.mac(payload)
	if err != nil {
		return "", err
	}
	return payload + "." + mac, nil
}

// of returns the random id of r's valid device cookie for userID.
func (d devices) of(r *http.Request, userID string) (string, bool) {
	c, err := r.Cookie(deviceCookiePrefix + userID)
	if err != nil {
		return "", false
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 4 || parts[0] != userID {
		return "", false
	}
	payload := strings.Join(parts[:3], ".")
	mac, err := d.mac(payload)
	if err != nil || !hmac.Equal([]byte(mac), []byte(parts[3])) {
		return "", false
	}
	expires, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || !d.clock().Before(time.Unix(expires, 0)) {
		return "", false
	}
	return parts[2], true
}

func (d devices) mac(payload string) (string, error) {
	key, err := d.key()
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("device\x00"))
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
}
