package apperr

import (
	"encoding/json"
	"errors"
	"testing"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/tools/router"

	"linkbase/linkbio"
)

func TestSocials(t *testing.T) {
	_, err := linkbio.ParseSocials([]byte(`[{"platform":"myspace","url":"ftp://a"},{"platform":"x","url":"https://x.com/a"},{"platform":"email","url":"https://a"}]`))
	// As PocketBase answers it (router.ApiError resolves nested errors).
	apiErr := router.NewBadRequestError("Failed to update record.", validation.Errors{"socials": Socials(err)})
	got, _ := json.Marshal(apiErr.Data["socials"])
	want := `{"0":{"platform":{"code":"platform_invalid","message":"Not a platform we show an icon for."},"url":{"code":"social_url_scheme","message":"Must be a web address starting with https:// or http://."}},"2":{"url":{"code":"social_email","message":"Must be an email address."}}}`
	if string(got) != want {
		t.Fatalf("Socials() = %s\nwant %s", got, want)
	}

	_, err = linkbio.ParseSocials([]byte(`{}`))
	var ve validation.Error
	if !errors.As(Socials(err), &ve) || ve.Code() != "socials_invalid" {
		t.Fatalf("Socials(list error) = %v, want socials_invalid", Socials(err))
	}
}

// TestEveryDomainErrorHasACode: each sentinel the link-in-bio rules return
// maps to its own code, never the generic "invalid".
func TestEveryDomainErrorHasACode(t *testing.T) {
	seen := map[string]bool{}
	for _, err := range []error{
		linkbio.ErrThemeInvalid, linkbio.ErrThemeContrast, linkbio.ErrKindInvalid, linkbio.ErrHeaderURL,
		linkbio.ErrSocialsInvalid, linkbio.ErrTooManySocials, linkbio.ErrPlatformInvalid,
		linkbio.ErrPlatformRepeated, linkbio.ErrSocialEmail, linkbio.ErrSocialWeb,
		linkbio.ErrOrderUnknown, linkbio.ErrOrderRepeated, linkbio.ErrOrderIncomplete,
	} {
		code := Field(err).Code()
		if code == "invalid" || seen[code] {
			t.Errorf("%v has code %q", err, code)
		}
		seen[code] = true
	}
}
