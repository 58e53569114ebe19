package csrf

import "testing"

func TestTokenIsBoundToSessionAndKey(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := Token(key, "session-a")
	for _, c := range []struct {
		name      string
		key       []byte
		session   string
		presented string
		want      bool
	}{
		{"issued for this session", key, "session-a", tok, true},
		{"another session's token", key, "session-b", tok, false},
		{"a token under another key", []byte("another key of the same length!!"), "session-a", tok, false},
		{"a fixed value", key, "session-a", "t0k3n", false},
		{"empty token", key, "session-a", "", false},
		{"no session", key, "", Token(key, ""), false},
		{"truncated", key, "session-a", tok[:len(tok)-1], false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Valid(c.key, c.session, c.presented); got != c.want {
				t.Errorf("Valid = %v, want %v", got, c.want)
			}
		})
	}
	if Token(key, "session-a") != tok {
		t.Error("the token of one session must be stable")
	}
}

func TestSameOrigin(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"https://app.example", "https://app.example", true},
		{"https://app.example", "https://APP.example:443", true},
		{"http://app.example", "http://app.example:80/some/path", true},
		{"http://localhost:8090", "http://localhost:8090", true},
		{"http://app.example", "https://app.example", false},
		{"https://app.example", "https://app.example:8443", false},
		{"http://app.example:8090", "http://app.example", false},
		{"https://app.example", "https://evil.example", false},
		{"https://app.example", "https://app.example.evil.example", false},
		{"null", "null", false},
		{"", "", false},
		{"app.example", "app.example", false},
		{"ftp://app.example", "ftp://app.example", false},
		{"https://user@app.example", "https://app.example", false},
		{"http://[::1]:8090", "http://[::1]:8090", true},
	} {
		if got := SameOrigin(c.a, c.b); got != c.want {
			t.Errorf("SameOrigin(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
