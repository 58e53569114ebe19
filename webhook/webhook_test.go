package webhook_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"linkbase/webhook"
)

// TestSignKnownVector: the example of the specification's reference
// libraries (Svix's, from which the specification grew) signs to the
// signature they publish.
func TestSignKnownVector(t *testing.T) {
	key, err := webhook.Key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		t.Fatal(err)
	}
	got := webhook.Sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, []byte(`{"test": 2432232314}`))
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

func TestKey(t *testing.T) {
	generated, err := webhook.NewSecret(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		secret string
		ok     bool
	}{
		{generated, true},
		{"whsec_" + strings.Repeat("A", 32), true},  // 24 bytes
		{"whsec_" + strings.Repeat("A", 28), false}, // 21 bytes
		{"whsec_not base64!", false},
		{"whsec_" + strings.Repeat("A", 100), false}, // 75 bytes
		{"a-plain-secret-of-24-chars", true},
		{"too-short", false},
		{"", false},
	} {
		_, err := webhook.Key(c.secret)
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, webhook.ErrSecretInvalid)) {
			t.Errorf("Key(%q) = %v, want ok=%v", c.secret, err, c.ok)
		}
	}
	if !strings.HasPrefix(generated, "whsec_") {
		t.Errorf("NewSecret = %q", generated)
	}
}

func TestRetrySchedule(t *testing.T) {
	first, ok := webhook.NextRetry(1)
	if !ok || first > 10*time.Second {
		t.Errorf("first retry after %s, want within 10 s", first)
	}
	var total time.Duration
	attempts := 1
	for {
		d, ok := webhook.NextRetry(attempts)
		if !ok {
			break
		}
		if d < first {
			t.Errorf("retry %d after %s: delays must grow", attempts, d)
		}
		first = d
		total += d
		attempts++
	}
	if total < 24*time.Hour {
		t.Errorf("retries end %s after the first attempt, want at least 24 h", total)
	}
	if _, ok := webhook.NextRetry(0); ok {
		t.Error("NextRetry(0) must not schedule anything")
	}
}

func TestCheckURL(t *testing.T) {
	for _, c := range []struct {
		url          string
		allowPrivate bool
		want         error
	}{
		{"https://hooks.example.com/linkbase", false, nil},
		{"http://hooks.example.com:8080/x?y=1", false, nil},
		{"ftp://hooks.example.com/", false, webhook.ErrURLInvalid},
		{"https://user:pass@hooks.example.com/", false, webhook.ErrURLInvalid},
		{"/relative", false, webhook.ErrURLInvalid},
		{"https://", false, webhook.ErrURLInvalid},
		{"https://hooks.example.com/a b", false, webhook.ErrURLInvalid},
		{"https://hooks.example.com/" + strings.Repeat("a", 2048), false, webhook.ErrURLInvalid},
		{"http://127.0.0.1:8090/", false, webhook.ErrURLPrivate},
		{"http://[::1]/", false, webhook.ErrURLPrivate},
		{"http://169.254.169.254/latest/meta-data", false, webhook.ErrURLPrivate},
		{"http://10.1.2.3/", false, webhook.ErrURLPrivate},
		{"http://[::ffff:192.168.1.1]/", false, webhook.ErrURLPrivate},
		{"http://127.0.0.1:8090/", true, nil},
		// A name is judged by what it resolves to at connection time.
		{"http://localhost:8090/", false, nil},
	} {
		if got := webhook.CheckURL(c.url, c.allowPrivate); !errors.Is(got, c.want) || (c.want == nil && got != nil) {
			t.Errorf("CheckURL(%q, %v) = %v, want %v", c.url, c.allowPrivate, got, c.want)
		}
	}
}

func TestAllowed(t *testing.T) {
	for addr, want := range map[string]bool{
		"93.184.216.34": true, "2606:4700::6810:84e5": true, "8.8.8.8": true,
		"127.0.0.1": false, "127.9.9.9": false, "::1": false, "10.0.0.1": false, "172.16.5.4": false,
		"192.168.0.1": false, "169.254.169.254": false, "fe80::1": false, "fd00::1": false, "0.0.0.0": false,
		"::": false, "100.64.0.1": false, "224.0.0.1": false, "255.255.255.255": false, "::ffff:127.0.0.1": false,
		"64:ff9b::a00:1": false, "2002:a00:1::": false,
	} {
		if got := webhook.Allowed(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Allowed(%s) = %v, want %v", addr, got, want)
		}
	}
}

func TestBodyAndMessageID(t *testing.T) {
	body, err := webhook.Body(webhook.RewardGranted, time.Date(2026, 11, 24, 14, 18, 44, 0, time.FixedZone("x", 3600)), map[string]int{"amount": 10})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"type":"reward.granted","timestamp":"2026-11-24T13:18:44Z","data":{"amount":10}}`; string(body) != want {
		t.Errorf("Body = %s, want %s", body, want)
	}
	a, _ := webhook.NewMessageID(rand.Reader)
	b, _ := webhook.NewMessageID(rand.Reader)
	if a == b || !strings.HasPrefix(a, "msg_") || len(a) > 64 {
		t.Errorf("message ids %q, %q", a, b)
	}
	if _, err := webhook.NewMessageID(bytes.NewReader(nil)); err == nil {
		t.Error("NewMessageID without randomness must fail")
	}
}
