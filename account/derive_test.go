package account

import "testing"

func TestDeriveUsername(t *testing.T) {
	for _, c := range []struct {
		name, username, fullName, email, want string
	}{
		{"provider username first", "Octo-Cat", "Mona Lisa", "mona@example.com", "octo_cat"},
		{"name when no username", "", "José Álvarez", "x@example.com", "jose_alvarez"},
		{"email local part without +tag", "", "", "ann.lee+news@example.com", "ann.lee"},
		{"too short a username falls through", "ab", "", "bob@example.com", "bob"},
		{"non-latin name falls through to the email", "", "山田太郎", "yamada@example.com", "yamada"},
		{"nothing usable", "", "山田", "@example.com", "user"},
		{"leading separators dropped", "", "__.Ann", "", "ann"},
		{"long names cut to leave room for a number", "", "an extraordinarily long display name indeed", "", "an_extraordinarily_long"},
		{"dots kept", "", "", "j.doe@example.com", "j.doe"},
		{"emoji and spaces", "", "Ann 🌟 Lee", "", "ann_lee"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := DeriveUsername(c.username, c.fullName, c.email)
			if got != c.want {
				t.Fatalf("DeriveUsername = %q, want %q", got, c.want)
			}
			if !usernameRe.MatchString(got) {
				t.Fatalf("%q does not match the username pattern", got)
			}
		})
	}
}

func TestSuffixed(t *testing.T) {
	if got := Suffixed("ann", 2); got != "ann2" {
		t.Errorf("got %q", got)
	}
	long := "abcdefghijklmnopqrstuvwxyzabcd" // 30
	if got := Suffixed(long, 1234); len(got) != 30 || got != "abcdefghijklmnopqrstuvwxyz1234" {
		t.Errorf("got %q", got)
	}
	for _, base := range []string{"admin", "api", "user"} {
		if err := ValidateUsername(Suffixed(base, 7)); err != nil {
			t.Errorf("%s7: %v", base, err)
		}
	}
}
