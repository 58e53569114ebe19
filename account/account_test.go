package account

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeEmail(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Ann@Example.COM", "ann@example.com"},
		{"  bob@example.com\t", "bob@example.com"},
		{"\u212Aim@example.com", "\u212Aim@example.com"}, // Kelvin sign is not folded into "k"
		{"ÄNN@example.com", "Änn@example.com"},           // only ASCII is folded, like SQLite NOCASE
		// The domain as DNS sees it: trailing dots, case, IDNA.
		{"fraud.test@gmail.com.", "fraud.test@gmail.com"},
		{"x@Mailinator.COM..", "x@mailinator.com"},
		{" a@example.com. ", "a@example.com"},
		{"ann@bücher.de", "ann@xn--bcher-kva.de"},
		{"ann@BÜCHER.DE.", "ann@xn--bcher-kva.de"},
		{"ann@xn--bcher-kva.de", "ann@xn--bcher-kva.de"},
		{"ann@ｅｘａｍｐｌｅ.com", "ann@example.com"},       // full-width letters map to ASCII, as in a browser's address bar
		{"ann@example.com。", "ann@example.com"},      // an ideographic full stop is a dot
		{"ann@Kelvin.example", "ann@kelvin.example"}, // in a domain the Kelvin sign is "k" to DNS too
		{"ann@exa_mple.com", "ann@exa_mple.com"},     // IDNA refuses it: kept for ValidateEmail
		{"no-at-sign", "no-at-sign"},
	} {
		if got := NormalizeEmail(c.in); got != c.want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestValidateEmail(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"ann@example.com", true},
		{"ann+tag@mail.example.co.uk", true},
		{"", false},
		{"ann", false},
		{"ann@", false},
		{"@example.com", false},
		{"ann@example.com\x00", false},
		{"ann\n@example.com", false},
		{"<script>@example.com", false},
		{"' OR 1=1 --@example.com", false},
		{strings.Repeat("a", 250) + "@example.com", false},
		// A domain IDNA refuses stays as typed in the normal form, and is
		// refused here (found by FuzzNormalisation: a combining mark first).
		{NormalizeEmail("0@\u032f.a"), false},
		{NormalizeEmail("ann@exa_mple.com"), true}, // ASCII: the mail system decides
		{NormalizeEmail("ann@bücher.de"), true},
	} {
		err := ValidateEmail(c.in)
		if (err == nil) != c.ok {
			t.Errorf("ValidateEmail(%q) = %v, want ok=%v", c.in, err, c.ok)
		}
		if err != nil && !errors.Is(err, ErrEmailInvalid) {
			t.Errorf("ValidateEmail(%q) = %v, want ErrEmailInvalid", c.in, err)
		}
	}
}

func TestCanonicalMailbox(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ann@example.com", "ann@example.com"},
		{"ann+promo@example.com", "ann@example.com"},
		{"a.n.n@example.com", "a.n.n@example.com"}, // dots matter outside Gmail
		{"a.n.n+x@gmail.com", "ann@gmail.com"},
		{"ann@googlemail.com", "ann@gmail.com"},
		{"+only@example.com", "@example.com"},
		{"no-at-sign", "no-at-sign"},
		{"Fraud.Test@GMail.com.", "fraudtest@gmail.com"}, // in the canonical form first
		{"ann@bücher.de.", "ann@xn--bcher-kva.de"},
	} {
		if got := CanonicalMailbox(c.in); got != c.want {
			t.Errorf("CanonicalMailbox(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestUsername(t *testing.T) {
	for _, c := range []struct {
		in   string
		want error
	}{
		{"ann", nil},
		{" Ann.Smith_2 ", nil},
		{"a1_", nil},
		{"9lives", nil},
		{"ab", ErrUsernameInvalid},
		{strings.Repeat("a", 31), ErrUsernameInvalid},
		{strings.Repeat("a", 30), nil},
		{"_ann", ErrUsernameInvalid},
		{".ann", ErrUsernameInvalid},
		{"ann-smith", ErrUsernameInvalid},
		{"ann smith", ErrUsernameInvalid},
		{"аnn", ErrUsernameInvalid},        // Cyrillic а
		{"\u212Aim", ErrUsernameInvalid},   // Kelvin sign would lowercase to "k"
		{"an\u200bn", ErrUsernameInvalid},  // zero-width space
		{"ann\x00", ErrUsernameInvalid},    // NUL
		{"<b>ann</b>", ErrUsernameInvalid}, // HTML
		{"ann';drop", ErrUsernameInvalid},  // SQL
		{"admin", ErrUsernameReserved},
		{"API", ErrUsernameReserved},
		{"dashboard", ErrUsernameReserved},
		{"register", ErrUsernameReserved},
	} {
		got := ValidateUsername(NormalizeUsername(c.in))
		if !errors.Is(got, c.want) || (c.want == nil && got != nil) {
			t.Errorf("ValidateUsername(NormalizeUsername(%q)) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	emoji := strings.Repeat("🔑", 17) // 17 runes, 68 bytes
	for _, c := range []struct {
		name, password, username, email string
		want                            error
	}{
		{"ordinary passphrase", "lantern-orbit-7319", "ann", "ann@example.com", nil},
		{"seven characters", "abcdefg", "ann", "ann@example.com", ErrPasswordTooShort},
		{"eight characters", "q8#vLm2z", "ann", "ann@example.com", nil},
		{"64 characters", strings.Repeat("xq", 32), "ann", "ann@example.com", nil},
		{"65 characters", strings.Repeat("xq", 32) + "z", "ann", "ann@example.com", ErrPasswordTooLong},
		{"71 bytes", "é" + strings.Repeat("xq", 34) + "z", "ann", "ann@example.com", ErrPasswordTooLong},
		{"68 bytes of emoji", emoji, "ann", "ann@example.com", nil},
		{"72 bytes of emoji", emoji + "🔑", "ann", "ann@example.com", ErrPasswordTooLong},
		{"common", "password1", "ann", "ann@example.com", ErrPasswordTooCommon},
		{"common in capitals", "BASEBALL", "ann", "ann@example.com", ErrPasswordTooCommon},
		{"contains username", "xx-annabel-77", "annabel", "zed@example.com", ErrPasswordContainsIdentity},
		{"contains email local part", "hello-zedkowski-1", "ann", "zedkowski@example.com", ErrPasswordContainsIdentity},
		{"contains username in capitals", "XX-ANNABEL-77", "annabel", "zed@example.com", ErrPasswordContainsIdentity},
		{"two-letter local part is ignored", "lantern-orbit-7319", "ann", "la@example.com", nil},
		{"NUL byte", "lantern\x00orbit-7319", "ann", "ann@example.com", ErrPasswordInvalid},
		{"newline", "lantern\norbit-7319", "ann", "ann@example.com", ErrPasswordInvalid},
		{"invalid UTF-8", "lantern\xffxorbit", "ann", "ann@example.com", ErrPasswordInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := CheckPassword(c.password, c.username, c.email)
			if !errors.Is(got, c.want) || (c.want == nil && got != nil) {
				t.Errorf("CheckPassword(%q) = %v, want %v", c.password, got, c.want)
			}
		})
	}
}

func TestCommonPasswordList(t *testing.T) {
	if n := CommonPasswordCount(); n < 10000 {
		t.Fatalf("shipped %d common passwords, want at least 10,000", n)
	}
}

func TestCouldBePassword(t *testing.T) {
	stored := strings.Repeat("é", 35) + "k" // 71 bytes, 36 characters
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"lantern-orbit-7319", true},
		{stored, true},
		{stored + "x", false},    // 72 bytes: bcrypt would compare only a prefix
		{stored + "\x00", false}, // the NUL bcrypt appends itself
		{stored + "xyz", false},  // 74 bytes
		{"", false},
		{"ab\x00cdefgh", false},
	} {
		if got := CouldBePassword(c.in); got != c.ok {
			t.Errorf("CouldBePassword(%d bytes) = %v, want %v", len(c.in), got, c.ok)
		}
	}
}
