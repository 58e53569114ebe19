package webhookstore

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"linkbase/webhook"
)

// ErrTargetRefused is the error of a delivery whose target resolved to an
// address no delivery may reach (see webhook.Allowed).
var ErrTargetRefused = errors.New("webhook target refused: loopback, private or link-local address")

// maxRedirects bounds the same-host redirects a delivery follows.
const maxRedirects = 3

// newClient is the outbound client of deliveries: no proxy from the
// environment (the check below must see the target, not a proxy), a
// connect timeout, webhook.Timeout for the whole attempt, redirects
// followed only within the same host, and, unless allowPrivate, every
// connection refused when the address it is about to reach (after DNS,
// so a name that resolves inside, or rebinds to inside, is caught) is
// internal.
func newClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !webhook.Allowed(ap.Addr()) {
				return fmt.Errorf("%w (%s)", ErrTargetRefused, address)
			}
			return nil
		}
	}
	return &http.Client{
		Timeout: webhook.Timeout,
		Transport: &http.Transport{
			Proxy:                  nil,
			DialContext:            dialer.DialContext,
			ForceAttemptHTTP2:      true,
			TLSHandshakeTimeout:    5 * time.Second,
			ResponseHeaderTimeout:  webhook.Timeout,
			MaxIdleConnsPerHost:    4,
			IdleConnTimeout:        90 * time.Second,
			MaxResponseHeaderBytes: 64 << 10,
		},
		CheckRedirect: sameHostOnly,
	}
}

// sameHostOnly follows a redirect within the host (and port) of the
// webhook's URL; any other answers the attempt with the redirect itself,
// which is no 2xx, so the message is retried and the log shows why.
func sameHostOnly(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects || !strings.EqualFold(req.URL.Host, via[0].URL.Host) {
		return http.ErrUseLastResponse
	}
	return nil
}
