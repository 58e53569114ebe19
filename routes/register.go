package routes

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"linkbase/account"
	"linkbase/accountstore"
	"linkbase/apperr"
	"linkbase/handoff"
	"linkbase/mail"
	"linkbase/referral"
	"linkbase/refstore"
	"linkbase/schema"
)

func (srv *server) handleRegister(e *core.RequestEvent) error {
	form := registerForm{}
	var alias string
	errs, err := readJSON(e, map[string]any{
		"email": &form.Email, "username": &form.Username,
		"password": &form.Password, "referral_code": &form.ReferralCode, "referral": &alias,
	})
	if err != nil {
		return err
	}
	form.useCode(alias, errs, rememberedCode(e))
	form.normalize()
	form.validate(errs)
	referrer, err := form.checkAgainstStore(e.App, errs)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if len(errs) > 0 {
		return e.BadRequestError("Failed to register.", errs)
	}

	users, err := e.App.FindCachedCollectionByNameOrId(schema.Users)
	if err != nil {
		return e.InternalServerError("", err)
	}
	user := core.NewRecord(users)
	user.SetEmail(form.Email)
	user.Set(schema.UserUsername, form.Username)
	if hash, ok := handoff.Vouched(e, vouchPasswordHash); ok {
		// A replica hashed it (below) and sent us the insert.
		user.SetRaw(core.FieldNamePassword, &core.PasswordFieldValue{Hash: hash, Plain: form.Password})
	} else {
		if err := srv.Passwords.Set(user, form.Password); err != nil {
			return accountstore.Busy(e, err)
		}
		// On a cluster replica the hashing, the costly part, is done:
		// the primary inserts (and checks everything again).
		forwarded, err := handoff.Forward(e, url.Values{
			vouchPasswordHash: {user.GetString(core.FieldNamePassword + ":hash")},
			vouchLimited:      {"1"},
		})
		if forwarded {
			return err
		}
	}
	if referrer != nil {
		user.Set(schema.UserReferredBy, referrer.Id)
	}
	srv.Referrals.MarkSignup(user, e.RealIP(), cookieValue(e, referral.VisitorCookie)) // fraud signals, never required
	if err := e.App.Save(user); err != nil {
		if errs, ok := takenErrors(err); ok {
			return e.BadRequestError("Failed to register.", errs)
		}
		return e.InternalServerError("", err)
	}

	srv.Mail.Send(user.Email(), user.Id, mail.Verification) // best effort, off the request path
	// A new account: no MFA step and no new-location alert.
	return respondWithAuth(e, http.StatusCreated, user, "")
}

// vouchPasswordHash is the bcrypt hash of the body's password, which a
// replica computed and vouches for when it forwards a sign-up.
const vouchPasswordHash = "password_hash"

// registerForm is the body of POST /api/register.
type registerForm struct {
	Email        string
	Username     string
	Password     string
	ReferralCode string
	// codeField names the body field the code came from (referral_code,
	// or its alias referral), where its error is reported; "" when the
	// code is the browser's remembered one, which is never an error.
	codeField string
}

// useCode picks the referral code: referral_code, else its alias referral
// (the referral link's parameter name), else the code the browser
// remembers from the last referral link it opened.
func (f *registerForm) useCode(alias string, errs validation.Errors, remembered string) {
	switch {
	case f.ReferralCode != "" || errs["referral_code"] != nil:
		f.codeField = "referral_code"
	case alias != "" || errs["referral"] != nil:
		f.ReferralCode, f.codeField = alias, "referral"
	default:
		f.ReferralCode = remembered
	}
}

func (f *registerForm) normalize() {
	f.Email = account.NormalizeEmail(f.Email)
	f.Username = account.NormalizeUsername(f.Username)
	f.ReferralCode = referral.NormalizeCode(f.ReferralCode)
}

// validate adds the error of every field that breaks a rule of its own,
// without touching the store; fields already wrongly typed are skipped.
func (f *registerForm) validate(errs validation.Errors) {
	checkField(errs, "email", f.Email, func() error { return account.ValidateEmail(f.Email) })
	checkField(errs, "username", f.Username, func() error { return account.ValidateUsername(f.Username) })
	checkField(errs, "password", f.Password, func() error { return account.CheckPassword(f.Password, f.Username, f.Email) })
}

// checkAgainstStore adds the errors that need the database (taken email or
// username, referral code) for fields that are otherwise valid, and returns
// the referrer of a valid code.
func (f *registerForm) checkAgainstStore(app core.App, errs validation.Errors) (*core.Record, error) {
	for _, c := range []struct {
		field, value string
		taken        error
	}{
		{"email", f.Email, account.ErrEmailTaken},
		{"username", f.Username, account.ErrUsernameTaken},
	} {
		if _, bad := errs[c.field]; bad {
			continue
		}
		taken, err := accountstore.IsTaken(app, c.field, c.value)
		if err != nil {
			return nil, err
		}
		if taken {
			errs[c.field] = apperr.Field(c.taken)
		}
	}

	if _, bad := errs[f.codeField]; bad || f.ReferralCode == "" {
		return nil, nil
	}
	referrer, err := refstore.ReferrerFor(app, f.ReferralCode, f.Email)
	if referral.IsRefused(err) {
		if f.codeField != "" { // a remembered code that no longer applies is dropped
			errs[f.codeField] = apperr.Field(err)
		}
		return nil, nil
	}
	return referrer, err
}

// takenErrors turns the unique-constraint failure of a registration that
// lost a race (the check above passed for both) into the *_taken error the
// loser would have got a moment later, and passes field errors through.
func takenErrors(err error) (validation.Errors, bool) {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed: users.email"):
		return validation.Errors{"email": apperr.Field(account.ErrEmailTaken)}, true
	case strings.Contains(msg, "UNIQUE constraint failed: users.username"):
		return validation.Errors{"username": apperr.Field(account.ErrUsernameTaken)}, true
	}
	var fieldErrs validation.Errors
	if errors.As(err, &fieldErrs) {
		for name, fe := range fieldErrs {
			var ve validation.Error
			if errors.As(fe, &ve) && ve.Code() == "validation_not_unique" {
				switch name {
				case "email":
					fieldErrs[name] = apperr.Field(account.ErrEmailTaken)
				case "username":
					fieldErrs[name] = apperr.Field(account.ErrUsernameTaken)
				}
			}
		}
		if ref, ok := fieldErrs[schema.UserReferredBy]; ok {
			delete(fieldErrs, schema.UserReferredBy)
			fieldErrs["referral_code"] = ref
		}
		return fieldErrs, true
	}
	return nil, false
}
