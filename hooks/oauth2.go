package hooks

import (
	"crypto/rand"
	"errors"
	"math/big"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/mails"
	"github.com/pocketbase/pocketbase/tools/routine"

	"linkbase/account"
	"linkbase/apperr"
	"linkbase/referral"
	"linkbase/refstore"
	"linkbase/schema"
)

// errOAuth2NoEmail: a new account needs a mailbox, and the provider shared
// no verified one.
var errOAuth2NoEmail = validation.NewError("required",
	"The provider shared no verified email address; send one as createData.email.")

// registerOAuth2 lets PocketBase's own OAuth2 flow (auth-with-oauth2, the
// SDK's authWithOAuth2) sign people up under the rules of POST
// /api/register, and log existing ones in. PocketBase finds the account
// (by provider id, or by the provider's email, which its providers share
// only once verified) and links it; a new one is created through the
// users create rule that admits only this flow, from the body built here.
func registerOAuth2(app core.App) {
	app.OnRecordAuthWithOAuth2Request(schema.Users).BindFunc(onOAuth2Auth)
	app.OnRecordCreateRequest(schema.Users).BindFunc(onOAuth2Create)
}

func onOAuth2Auth(e *core.RecordAuthWithOAuth2RequestEvent) error {
	if isDisabled(e.Record) {
		return e.BadRequestError("Failed to authenticate.", nil) // what any failed OAuth2 login answers
	}
	if e.Record != nil {
		return e.Next()
	}
	data, errs, err := oauth2SignupData(e)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if len(errs) > 0 {
		return e.BadRequestError("Failed to sign up.", errs)
	}
	// The client's createData is replaced, never merged: nothing else it
	// sends reaches the record.
	e.CreateData = data
	if err := e.Next(); err != nil {
		return err
	}
	if e.IsNewRecord && e.Record != nil && !e.Record.Verified() {
		// An address the provider did not vouch for gets the verification
		// mail a registration sends (best effort).
		record, app := e.Record, e.App
		routine.FireAndForget(func() {
			if err := mails.SendRecordVerification(app, record); err != nil {
				app.Logger().Warn("sending the verification mail of an OAuth2 sign-up", "error", err)
			}
		})
	}
	return nil
}

// onOAuth2Create adds to an OAuth2 sign-up what a client may never set:
// the hashed sign-up IP, a fraud signal of the referral it makes.
func onOAuth2Create(e *core.RecordRequestEvent) error {
	if info, err := e.RequestInfo(); err == nil && info.Context == core.RequestInfoContextOAuth2 {
		if ipHash, err := refstore.HashIP(e.App, e.RealIP()); err == nil {
			e.Record.Set(schema.UserSignupIPHash, ipHash)
		}
	}
	return e.Next()
}

// oauth2SignupData builds the new account's fields: the provider's
// verified email (else createData.email, which is then verified by mail),
// a unique username derived from the provider's username, name or email,
// the display name, and the referrer of createData.referral_code (or
// createData.referral), else of the attribution cookie. An explicit code
// that is not valid is an error, as at /api/register; a remembered one is
// ignored.
func oauth2SignupData(e *core.RecordAuthWithOAuth2RequestEvent) (map[string]any, validation.Errors, error) {
	errs := validation.Errors{}
	email := account.NormalizeEmail(e.OAuth2User.Email)
	// PocketBase marks the new account verified when its email equals the
	// provider's: compare in the stored form.
	e.OAuth2User.Email = email
	if email == "" {
		given, ok := createDataString(e.CreateData, "email", errs)
		if ok {
			email = account.NormalizeEmail(given)
		}
	}
	if _, bad := errs["email"]; !bad {
		switch {
		case email == "":
			errs["email"] = errOAuth2NoEmail
		case account.ValidateEmail(email) != nil:
			errs["email"] = apperr.Field(account.ErrEmailInvalid)
		default:
			taken, err := isTaken(e.App, core.FieldNameEmail, email)
			if err != nil {
				return nil, nil, err
			}
			if taken {
				errs["email"] = apperr.Field(account.ErrEmailTaken)
			}
		}
	}

	referrer, err := oauth2Referrer(e, email, errs)
	if err != nil {
		return nil, nil, err
	}
	if len(errs) > 0 {
		return nil, errs, nil
	}

	username, err := uniqueUsername(e.App, account.DeriveUsername(e.OAuth2User.Username, e.OAuth2User.Name, email))
	if err != nil {
		return nil, nil, err
	}
	data := map[string]any{
		core.FieldNameEmail:        email,
		schema.UserUsername:        username,
		schema.UserDisplayName:     truncateRunes(e.OAuth2User.Name, 50),
		schema.UserNotifyReferrals: true,
	}
	if referrer != nil {
		data[schema.UserReferredBy] = referrer.Id
	}
	return data, nil, nil
}

func oauth2Referrer(e *core.RecordAuthWithOAuth2RequestEvent, email string, errs validation.Errors) (*core.Record, error) {
	code := ""
	for _, name := range []string{"referral_code", "referral"} {
		if v, ok := createDataString(e.CreateData, name, errs); ok && v != "" {
			code = v
			break
		}
	}
	explicit := code != ""
	if !explicit {
		if c, err := e.Request.Cookie(referral.AttributionCookie); err == nil {
			code = c.Value
		}
	}
	code = referral.NormalizeCode(code)
	if code == "" {
		return nil, nil
	}
	referrer, err := refstore.FindReferrerByCode(e.App, code)
	if err == nil {
		err = referral.CheckReferrer(referrer.Email(), referrer.GetBool(schema.UserDisabled), email)
	}
	switch {
	case err == nil:
		return referrer, nil
	case !explicit && (errors.Is(err, referral.ErrCodeInvalid) || errors.Is(err, referral.ErrCodeExpired) || errors.Is(err, referral.ErrSelfReferral)):
		return nil, nil // a remembered code that no longer applies
	case errors.Is(err, referral.ErrCodeInvalid) || errors.Is(err, referral.ErrCodeExpired) || errors.Is(err, referral.ErrSelfReferral):
		errs["referral_code"] = apperr.Field(err)
		return nil, nil
	}
	return nil, err
}

// createDataString reads a string of the client's createData; a value of
// another JSON type is reported as invalid_type.
func createDataString(data map[string]any, name string, errs validation.Errors) (string, bool) {
	v, ok := data[name]
	if !ok || v == nil {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		errs[name] = validation.NewError("invalid_type", "Must be a string.")
	}
	return s, ok
}

// uniqueUsername is base, or base with a number, that is neither reserved
// nor taken: first the small numbers a person would pick, then random ones.
func uniqueUsername(app core.App, base string) (string, error) {
	for i := range 16 {
		name := base
		switch {
		case i > 0 && i < 5:
			name = account.Suffixed(base, i+1)
		case i >= 5:
			n, err := rand.Int(rand.Reader, big.NewInt(900000))
			if err != nil {
				return "", err
			}
			name = account.Suffixed(base, 1000+int(n.Int64()))
		}
		if account.ValidateUsername(name) != nil {
			continue
		}
		taken, err := isTaken(app, schema.UserUsername, name)
		if err != nil {
			return "", err
		}
		if !taken {
			return name, nil
		}
	}
	return "", errors.New("no free username after several attempts")
}

// isTaken reports whether a user has value in field (email or username),
// compared as their NOCASE unique indexes compare.
func isTaken(app core.App, field, value string) (bool, error) {
	n, err := app.CountRecords(schema.Users, dbx.NewExp("[["+field+"]] = {:value} COLLATE NOCASE", dbx.Params{"value": value}))
	return n > 0, err
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
