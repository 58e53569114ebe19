package referral_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"linkbase/referral"
)

func TestNewCode(t *testing.T) {
	// 0xff is above the unbiased limit and must be skipped.
	stream := bytes.Repeat([]byte{0xff, 0, 1, 30}, 16)
	code, err := referral.NewCode(bytes.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	if code != "23z23z23" {
		t.Errorf("NewCode() = %q, want %q", code, "23z23z23")
	}
	if _, err := referral.NewCode(bytes.NewReader(nil)); err == nil {
		t.Error("NewCode() on an empty stream must fail")
	}
}

func TestNormalizeCode(t *testing.T) {
	for in, want := range map[string]string{" K3X9Q2MW ": "k3x9q2mw", "abc": "abc", "": ""} {
		if got := referral.NormalizeCode(in); got != want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLink(t *testing.T) {
	if got := referral.Link("https://app.example.com/", "k3x9q2mw"); got != "https://app.example.com/register?referral=k3x9q2mw" {
		t.Errorf("Link() = %q", got)
	}
	if got := referral.Link("https://a.example", "a b&c"); !strings.HasSuffix(got, "referral=a+b%26c") {
		t.Errorf("Link() must escape the code, got %q", got)
	}
}

func TestCheckReferrer(t *testing.T) {
	cases := []struct {
		name     string
		referrer string
		disabled bool
		newEmail string
		want     error
	}{
		{"another person", "ann@example.com", false, "bob@example.com", nil},
		{"disabled owner", "ann@example.com", true, "bob@example.com", referral.ErrCodeExpired},
		{"same address", "ann@example.com", false, "ann@example.com", referral.ErrSelfReferral},
		{"plus tag", "ann@example.com", false, "ann+promo@example.com", referral.ErrSelfReferral},
		{"gmail dots", "a.nn@gmail.com", false, "ann+x@googlemail.com", referral.ErrSelfReferral},
		{"dots elsewhere matter", "a.nn@example.com", false, "ann@example.com", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := referral.CheckReferrer(c.referrer, c.disabled, c.newEmail); !errors.Is(err, c.want) {
				t.Errorf("CheckReferrer() = %v, want %v", err, c.want)
			}
		})
	}
}
