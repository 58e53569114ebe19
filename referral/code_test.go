package referral

import (
	"bytes"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
)

func TestNewCode(t *testing.T) {
	code, err := NewCode(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if len(code) != CodeLength {
		t.Fatalf("len(%q) = %d, want %d", code, len(code), CodeLength)
	}
	for _, r := range code {
		if !strings.ContainsRune(CodeAlphabet, r) {
			t.Fatalf("code %q has %q, outside the alphabet", code, r)
		}
	}
}

func TestNewCodeSkipsBiasedBytes(t *testing.T) {
	// 248 = 8*31 is the first byte that would bias the modulo; it must be
	// skipped, so the code is made of the bytes 0..7 only.
	stream := append(bytes.Repeat([]byte{255, 248}, CodeLength), 0, 1, 2, 3, 4, 5, 6, 7)
	stream = append(stream, make([]byte, 2*CodeLength)...)
	code, err := NewCode(bytes.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	if want := CodeAlphabet[:8]; code != want {
		t.Fatalf("NewCode = %q, want %q", code, want)
	}
}

func TestNewCodeFailsOnExhaustedRandomness(t *testing.T) {
	if _, err := NewCode(bytes.NewReader([]byte{1, 2})); err == nil {
		t.Fatal("want an error when randomness runs out")
	}
}

func TestNormalizeCodeAndLink(t *testing.T) {
	if got := NormalizeCode("  K3X9Q2MW \n"); got != "k3x9q2mw" {
		t.Errorf("NormalizeCode = %q", got)
	}
	if got := Link("https://app.example.com/", "k3x9q2mw"); got != "https://app.example.com/register?referral=k3x9q2mw" {
		t.Errorf("Link = %q", got)
	}
}

func TestCheckReferrer(t *testing.T) {
	for _, c := range []struct {
		name, referrer string
		disabled       bool
		newEmail       string
		want           error
	}{
		{"another person", "ann@example.com", false, "bob@example.com", nil},
		{"same address", "ann@example.com", false, "ann@example.com", ErrSelfReferral},
		{"plus tag", "ann@example.com", false, "ann+2@example.com", ErrSelfReferral},
		{"gmail dots", "ann.lee@gmail.com", false, "annlee+x@googlemail.com", ErrSelfReferral},
		{"trailing dot of the domain", "fraud.test@gmail.com", false, "fraud.test@gmail.com.", ErrSelfReferral},
		{"domain in capitals with a trailing dot", "fraudtest@gmail.com", false, "Fraud.Test@GMAIL.COM.", ErrSelfReferral},
		{"dots elsewhere are other mailboxes", "ann.lee@example.com", false, "annlee@example.com", nil},
		{"disabled referrer", "ann@example.com", true, "bob@example.com", ErrCodeExpired},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := CheckReferrer(c.referrer, c.disabled, c.newEmail)
			if !errors.Is(got, c.want) || (c.want == nil && got != nil) {
				t.Errorf("CheckReferrer = %v, want %v", got, c.want)
			}
		})
	}
}
