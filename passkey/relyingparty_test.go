package passkey

import (
	"errors"
	"testing"
)

func TestRelyingParty(t *testing.T) {
	for _, c := range []struct {
		appURL, rpID, origin string
		err                  error
	}{
		{"http://localhost:8090", "localhost", "http://localhost:8090", nil},
		{"https://Links.Example/", "links.example", "https://links.example", nil},
		{"https://links.example:443/app", "links.example", "https://links.example", nil},
		{"https://links.example:8443", "links.example", "https://links.example:8443", nil},
		{"http://127.0.0.1:8090", "", "", ErrNoRelyingParty},
		{"http://[::1]:8090", "", "", ErrNoRelyingParty},
		{"", "", "", ErrNoRelyingParty},
		{"ftp://links.example", "", "", ErrNoRelyingParty},
	} {
		wa, err := RelyingParty(c.appURL, "Linkbase")
		if !errors.Is(err, c.err) {
			t.Errorf("%q: error %v, want %v", c.appURL, err, c.err)
			continue
		}
		if err != nil {
			continue
		}
		if wa.Config.RPID != c.rpID || len(wa.Config.RPOrigins) != 1 || wa.Config.RPOrigins[0] != c.origin {
			t.Errorf("%q: rp %q origins %v", c.appURL, wa.Config.RPID, wa.Config.RPOrigins)
		}
	}
}
