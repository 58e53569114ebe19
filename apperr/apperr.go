// Package apperr maps the domain packages' sentinel errors to the stable,
// machine-readable field codes of API.md, in one table used by the routes
// and by the model hooks (so the dashboard shows the same codes).
package apperr

import (
	"errors"
	"strconv"

	validation "github.com/pocketbase/ozzo-validation/v4"

	"linkbase/account"
	"linkbase/imagecheck"
	"linkbase/linkbio"
	"linkbase/passkey"
	"linkbase/referral"
	"linkbase/refstore"
	"linkbase/webhook"
)

// Required is the code of a missing field.
var Required = validation.NewError("required", "Cannot be blank.")

var fieldErrors = []struct {
	err error
	out validation.Error
}{
	{account.ErrEmailInvalid, validation.NewError("email_invalid", "Must be a valid email address.")},
	{account.ErrEmailTaken, validation.NewError("email_taken", "Email already in use.")},
	{account.ErrUsernameInvalid, validation.NewError("username_invalid", "Must be 3-30 characters of a-z, 0-9, _ and ., starting with a letter or digit.")},
	{account.ErrUsernameReserved, validation.NewError("username_reserved", "This username is reserved.")},
	{account.ErrUsernameTaken, validation.NewError("username_taken", "Username already taken.")},
	{account.ErrPasswordTooShort, validation.NewError("password_too_short", "Must be at least 8 characters.")},
	{account.ErrPasswordTooLong, validation.NewError("password_too_long", "Must be at most 64 characters and 71 bytes.")},
	{account.ErrPasswordInvalid, validation.NewError("password_invalid", "Must not contain control characters.")},
	{account.ErrPasswordTooCommon, validation.NewError("password_too_common", "This password is too common.")},
	{account.ErrPasswordContainsIdentity, validation.NewError("password_contains_identity", "Must not contain your username or email.")},
	{account.ErrTokenInvalid, validation.NewError("token_invalid", "Invalid or expired token.")},
	{referral.ErrCodeInvalid, validation.NewError("referral_invalid", "Invalid referral code.")},
	{referral.ErrCodeExpired, validation.NewError("referral_expired", "Referral code has expired.")},
	{referral.ErrSelfReferral, validation.NewError("referral_self", "You cannot refer yourself.")},
	{imagecheck.ErrTooLarge, validation.NewError("image_too_large", "The image must be at most 4096 × 4096 pixels and 16 megapixels.")},
	{linkbio.ErrURLTooLong, validation.NewError("url_too_long", "Must be at most 2048 characters.")},
	{linkbio.ErrURLScheme, validation.NewError("url_scheme", "Only http, https, mailto and tel links are allowed.")},
	{linkbio.ErrURLInvalid, validation.NewError("url_invalid", "Must be an absolute http, https, mailto or tel URL without spaces or control characters.")},
	{linkbio.ErrThemeInvalid, validation.NewError("theme_invalid", "Must be colours written #rgb or #rrggbb, a known button style and a known font.")},
	{linkbio.ErrTooManyLinks, validation.NewError("too_many_links", "A profile has at most 100 links.")},
	{linkbio.ErrThemeContrast, validation.NewError("theme_contrast", "Text and buttons need a contrast of at least 4.5:1 with what they are drawn on.")},
	{linkbio.ErrScheduleInvalid, validation.NewError("schedule_invalid", "Must be after the start date.")},
	{linkbio.ErrKindInvalid, validation.NewError("kind_invalid", "Must be link or header.")},
	{linkbio.ErrHeaderURL, validation.NewError("header_url", "A section header has no link.")},
	{linkbio.ErrOrderUnknown, validation.NewError("link_unknown", "Lists a link that is not one of yours.")},
	{linkbio.ErrOrderRepeated, validation.NewError("link_repeated", "Lists a link more than once.")},
	{linkbio.ErrOrderIncomplete, validation.NewError("link_missing", "Must list every one of your links.")},
	{linkbio.ErrSocialsInvalid, validation.NewError("socials_invalid", "Must be a list of platforms with their links.")},
	{linkbio.ErrTooManySocials, validation.NewError("too_many_socials", "A profile has at most one icon per platform.")},
	{linkbio.ErrPlatformInvalid, validation.NewError("platform_invalid", "Not a platform we show an icon for.")},
	{linkbio.ErrPlatformRepeated, validation.NewError("platform_repeated", "This platform is already in your icons.")},
	{linkbio.ErrSocialEmail, validation.NewError("social_email", "Must be an email address.")},
	{linkbio.ErrSocialWeb, validation.NewError("social_url_scheme", "Must be a web address starting with https:// or http://.")},
	{passkey.ErrChallenge, validation.NewError("challenge_invalid", "Unknown, used or expired challenge: ask for new options.")},
	{passkey.ErrInvalid, validation.NewError("passkey_invalid", "The authenticator's answer could not be verified.")},
	{passkey.ErrCredentialTaken, validation.NewError("passkey_taken", "This passkey is already registered.")},
	{linkbio.ErrDaysInvalid, validation.NewError("days_invalid", "Must be a whole number from 1 to 365.")},
	{webhook.ErrURLInvalid, validation.NewError("url_invalid", "Must be an absolute http or https URL without credentials.")},
	{webhook.ErrURLPrivate, validation.NewError("url_private", "Must not be a loopback, private or link-local address.")},
	{webhook.ErrSecretInvalid, validation.NewError("secret_invalid", "Must be whsec_ and the base64 of 24 to 64 bytes, or at least 24 characters (or empty to draw one).")},
	{referral.ErrDecisionInvalid, validation.NewError("decision_invalid", "Must be successful or rejected.")},
	{refstore.ErrCursorInvalid, validation.NewError("cursor_invalid", "Must be a next_cursor of an earlier answer.")},
}

// Field returns the field error with the stable code for a domain error.
// Domain packages return only their sentinels; anything else is reported
// with a generic code rather than leaking its text.
func Field(err error) validation.Error {
	for _, fe := range fieldErrors {
		if errors.Is(err, fe.err) {
			return fe.out
		}
	}
	return validation.NewError("invalid", "Invalid value.")
}

// Socials returns the error to report under the socials field for an error
// of linkbio.ParseSocials: the code of the list as a whole, or, for bad
// entries, each entry's fields by index ({"2": {"url": {code, message}}}),
// so a form can show every message beside the entry it belongs to.
func Socials(err error) error {
	var entries linkbio.SocialErrors
	if !errors.As(err, &entries) {
		return Field(err)
	}
	out := validation.Errors{}
	for _, e := range entries {
		key := strconv.Itoa(e.Index)
		fields, _ := out[key].(validation.Errors)
		if fields == nil {
			fields = validation.Errors{}
			out[key] = fields
		}
		if _, taken := fields[e.Field]; !taken {
			fields[e.Field] = Field(e.Err)
		}
	}
	return out
}
