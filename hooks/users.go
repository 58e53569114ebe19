package hooks

import (
	"database/sql"
	"errors"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/account"
	"linkbase/accountstore"
	"linkbase/apperr"
	"linkbase/linkbio"
	"linkbase/loginguard"
	"linkbase/mail"
	"linkbase/referral"
	"linkbase/refstore"
	"linkbase/schema"
	"linkbase/stores"
	"linkbase/webhook"
	"linkbase/webhookstore"
)

// reasonReferredDeleted is the review reason of a pending referral whose
// referred user deleted their account before it completed.
const reasonReferredDeleted = "referred account deleted"

var (
	errCreditsReadOnly = validation.NewError("credits_readonly", "Credits change only through the rewards ledger.")
	errCodeRetired     = validation.NewError("referral_code_retired", "This code was retired and cannot be reused.")
	errReferredByFixed = validation.NewError("referred_by_fixed", "The referrer is set at sign-up and cannot be changed.")
)

// bindUsers binds every hook of the users collection.
func bindUsers(app core.App, s *stores.Set) {
	refs := s.Referrals
	app.OnRecordCreate(schema.Users).BindFunc(func(e *core.RecordEvent) error { return onUserCreate(e, s) })
	app.OnRecordUpdate(schema.Users).BindFunc(func(e *core.RecordEvent) error { return onUserUpdate(e, s) })
	app.OnRecordDelete(schema.Users).BindFunc(onUserDelete)
	app.OnRecordValidate(schema.Users).BindFunc(validateUser)

	// PocketBase's other login routes hold to the rule that a disabled
	// account gets the answer of wrong credentials: the users auth rule
	// ("disabled = false") would answer 403 only after the credentials
	// proved right, an oracle for them.
	app.OnRecordAuthWithPasswordRequest(schema.Users).BindFunc(func(e *core.RecordAuthWithPasswordRequestEvent) error {
		return guardSDKLogin(e, s.Logins, s.Passwords)
	})
	app.OnRecordAuthWithOTPRequest(schema.Users).BindFunc(func(e *core.RecordAuthWithOTPRequestEvent) error {
		if isDisabled(e.Record) {
			return e.BadRequestError("Invalid or expired OTP", nil) // PocketBase's answer to a wrong OTP
		}
		return e.Next()
	})
	// Mailed tokens work once on PocketBase's routes too, and its mail
	// routes share our mail throttle.
	app.OnRecordConfirmPasswordResetRequest(schema.Users).BindFunc(func(e *core.RecordConfirmPasswordResetRequestEvent) error {
		return consumeMailedToken(e.RequestEvent, e.Next)
	})
	app.OnRecordConfirmVerificationRequest(schema.Users).BindFunc(func(e *core.RecordConfirmVerificationRequestEvent) error {
		return consumeMailedToken(e.RequestEvent, e.Next)
	})
	app.OnRecordConfirmEmailChangeRequest(schema.Users).BindFunc(func(e *core.RecordConfirmEmailChangeRequestEvent) error {
		return consumeMailedToken(e.RequestEvent, e.Next)
	})
	app.OnRecordRequestPasswordResetRequest(schema.Users).BindFunc(func(e *core.RecordRequestPasswordResetRequestEvent) error {
		return throttleMail(e.RequestEvent, e.Record, mail.PasswordReset, s.Mail, e.Next)
	})
	app.OnRecordRequestVerificationRequest(schema.Users).BindFunc(func(e *core.RecordRequestVerificationRequestEvent) error {
		return throttleMail(e.RequestEvent, e.Record, mail.Verification, s.Mail, e.Next)
	})
	app.OnRecordRequestEmailChangeRequest(schema.Users).BindFunc(func(e *core.RecordRequestEmailChangeRequestEvent) error {
		return throttleEmailChange(e, s.Mail)
	})
	// Used tokens are remembered until they expire.
	app.Cron().MustAdd("linkbasePurgeUsedTokens", "17 * * * *", func() {
		if err := accountstore.PurgeUsedTokens(app, s.Clock()); err != nil {
			app.Logger().Error("Failed to purge used tokens", "error", err)
		}
	})

	// OAuth2 sign-up and login: a new account's body follows /api/register's rules.
	app.OnRecordAuthWithOAuth2Request(schema.Users).BindFunc(func(e *core.RecordAuthWithOAuth2RequestEvent) error {
		return onOAuth2Auth(e, s.Mail)
	})
	app.OnRecordCreateRequest(schema.Users).BindFunc(func(e *core.RecordRequestEvent) error {
		return onOAuth2Create(e, refs)
	})
	// Every login, on our routes and PocketBase's (password, OTP, OAuth2,
	// passkeys: all answer through the auth response), is a fraud signal.
	app.OnRecordAuthRequest(schema.Users).BindFunc(func(e *core.RecordAuthRequestEvent) error {
		if err := refs.RecordLogin(e.App, e.Record.Id, e.RealIP()); err != nil {
			e.App.Logger().Warn("recording the login IP hash", "error", err)
		}
		return e.Next()
	})

	// After commit, from any source: the user's public profile and click
	// targets, their referral stats (credits, code) and, since a referred
	// user's username shows in their referrer's list, that list.
	invalidate := func(e *core.RecordEvent) error {
		s.Links.InvalidateUser(e.Record.Id)
		refs.InvalidateStats(e.Record.Id)
		if referrer := e.Record.GetString(schema.UserReferredBy); referrer != "" {
			refs.InvalidateLists(referrer)
		}
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(schema.Users).BindFunc(func(e *core.RecordEvent) error {
		s.Links.InvalidateUser(e.Record.Id) // a profile looked up before it existed
		return e.Next()
	})
	app.OnRecordAfterUpdateSuccess(schema.Users).BindFunc(invalidate)
	app.OnRecordAfterDeleteSuccess(schema.Users).BindFunc(invalidate)
}

// guardSDKLogin holds PocketBase's own password login (the SDK's
// authWithPassword) to the rules of POST /api/login: overload answered
// 503 rather than queued, the per-account back-off, the comparison in a
// hashing slot, no password the policy could never have stored (bcrypt
// compares only 72 bytes, so "stored password + more" would log in), and
// the same answer for a disabled account as for wrong credentials. It runs
// where PocketBase has found the account and not yet compared: a guess the
// back-off refuses never waits for a slot.
func guardSDKLogin(e *core.RecordAuthWithPasswordRequestEvent, logins *loginguard.Guard, passwords *accountstore.Passwords) error {
	identity := account.NormalizeEmail(e.Identity)
	if e.Record == nil && identity != e.Identity {
		// PocketBase looked the identity up as typed: "Ann@Example.com."
		// is ann@example.com's address too.
		found, err := accountstore.FindUserByIdentity(e.App, identity)
		if err != nil {
			return err
		}
		e.Record = found
	}
	hashing, err := passwords.Admit(e.Collection)
	if err != nil {
		return accountstore.Busy(e.RequestEvent, err)
	}
	defer hashing.Cancel()
	key, err := logins.Attempt(e.RequestEvent, e.Record, identity)
	if err != nil {
		return err
	}
	// A disabled account answers exactly like an unknown one (PocketBase's
	// dummy compare, then 400): its auth rule's 403 would tell that the
	// password was right.
	if !account.CouldBePassword(e.Password) || isDisabled(e.Record) {
		e.Record = nil
	}
	if err := hashing.Do(e.Next); err != nil {
		return accountstore.Busy(e.RequestEvent, err)
	}
	logins.Succeeded(e.RequestEvent, key)
	return nil
}

// onUserCreate gives the new user a referral code (and referral mails
// on) and, when they were referred, checks the referrer and records the
// pending referral, all in the transaction that inserts the user, with
// its user.created webhook message.
func onUserCreate(e *core.RecordEvent, s *stores.Set) error {
	refs := s.Referrals
	normalizeIdentity(e.Record)
	// Referral mails start on: a BoolField has no default of its own, so
	// every new account gets true and the user turns it off.
	e.Record.Set(schema.UserNotifyReferrals, true)
	return runInTx(e, func(txApp core.App) error {
		if e.Record.GetString(schema.UserReferralCode) == "" {
			code, err := refstore.NewCode(txApp)
			if err != nil {
				return err
			}
			e.Record.Set(schema.UserReferralCode, code)
		}

		// Credits start at zero and grow only through the rewards ledger.
		e.Record.Set(schema.UserCredits, 0)

		referrer, err := findReferrer(txApp, e.Record)
		if err != nil {
			return err
		}
		reviewReason := ""
		if referrer != nil {
			if reviewReason, err = refs.ReviewReason(txApp, referrer, e.Record); err != nil {
				return err
			}
		}

		if err := e.Next(); err != nil {
			return err
		}
		if err := s.Webhooks.Enqueue(txApp, webhook.UserCreated, webhookstore.UserData(e.Record)); err != nil {
			return err
		}

		if referrer == nil {
			return nil
		}
		return createPendingReferral(txApp, referrer, e.Record, reviewReason)
	})
}

// onUserUpdate normalises the identity, keeps credits to the ledger,
// retires a replaced code, and completes the user's referral when they
// verify their email (through the mail flow, the dashboard or anything
// else that saves them).
func onUserUpdate(e *core.RecordEvent, s *stores.Set) error {
	normalizeIdentity(e.Record)
	return runInTx(e, func(tx core.App) error {
		orig, err := storedRecord(tx, e.Record)
		if err != nil {
			return err
		}
		// A record loaded before a reward was granted must not write its
		// stale balance back; a record whose credits differ from both its
		// load and the store is an attempt to edit them.
		if c := e.Record.GetInt(schema.UserCredits); c != orig.GetInt(schema.UserCredits) && c != e.Record.Original().GetInt(schema.UserCredits) {
			return validation.Errors{schema.UserCredits: errCreditsReadOnly}
		}
		e.Record.Set(schema.UserCredits, orig.GetInt(schema.UserCredits))

		// The referral row is written at sign-up; re-pointing referred_by
		// later would leave it behind. PocketBase empties it when the
		// referrer is deleted, which stays allowed.
		if by := e.Record.GetString(schema.UserReferredBy); by != "" && by != orig.GetString(schema.UserReferredBy) {
			return validation.Errors{schema.UserReferredBy: errReferredByFixed}
		}

		oldCode, newCode := orig.GetString(schema.UserReferralCode), e.Record.GetString(schema.UserReferralCode)
		if newCode != oldCode && newCode != "" {
			retired, err := refstore.IsCodeRetired(tx, newCode)
			if err != nil {
				return err
			}
			if retired {
				return validation.Errors{schema.UserReferralCode: errCodeRetired}
			}
		}

		if err := e.Next(); err != nil {
			return err
		}

		if newCode != oldCode {
			if err := refstore.RetireCode(tx, oldCode, e.Record.Id); err != nil {
				return err
			}
		}
		if e.Record.Verified() && !orig.Verified() {
			return completeOnVerification(tx, s, e.Record)
		}
		return nil
	})
}

// onUserDelete retires the user's code, so that their link answers
// referral_expired, and closes their own pending referral so that it can
// never reward anyone afterwards.
func onUserDelete(e *core.RecordEvent) error {
	return runInTx(e, func(tx core.App) error {
		ref, err := tx.FindFirstRecordByData(schema.Referrals, schema.ReferralReferredUser, e.Record.Id)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if ref != nil && ref.GetString(schema.ReferralStatus) == schema.StatusPending {
			ref.Set(schema.ReferralStatus, schema.StatusRejected)
			ref.Set(schema.ReferralReviewReason, reasonReferredDeleted)
			if err := tx.Save(ref); err != nil {
				return err
			}
		}
		if err := e.Next(); err != nil {
			return err
		}
		return refstore.RetireCode(tx, e.Record.GetString(schema.UserReferralCode), e.Record.Id)
	})
}

// validateUser adds Linkbase's rules (reserved usernames, the password
// policy, the theme schema, the social icons) to PocketBase's field
// validation, and reports both together.
func validateUser(e *core.RecordEvent) error {
	errs := validation.Errors{}

	username := e.Record.GetString(schema.UserUsername)
	if e.Record.IsNew() || username != e.Record.Original().GetString(schema.UserUsername) {
		if account.IsReservedUsername(username) {
			errs[schema.UserUsername] = apperr.Field(account.ErrUsernameReserved)
		}
	}

	if pv, ok := e.Record.GetRaw(core.FieldNamePassword).(*core.PasswordFieldValue); ok && pv.Plain != "" {
		if err := account.CheckPassword(pv.Plain, username, e.Record.Email()); err != nil {
			errs[core.FieldNamePassword] = apperr.Field(err)
		}
	}

	// users.theme holds to the documented schema (linkbio.Theme), whoever
	// writes it: the SDK, the dashboard or app code.
	raw, _ := e.Record.GetRaw(schema.UserTheme).(types.JSONRaw)
	if _, err := linkbio.ParseTheme(raw); err != nil {
		errs[schema.UserTheme] = apperr.Field(err)
	}
	checkSocials(e.Record, errs)

	return mergeFieldErrors(errs, e.Next())
}

// checkSocials holds users.socials to linkbio.ParseSocials and stores the
// list as it was checked (trimmed, a bare email address made mailto:); a
// bad list is reported entry by entry (apperr.Socials).
func checkSocials(user *core.Record, errs validation.Errors) {
	raw, _ := user.GetRaw(schema.UserSocials).(types.JSONRaw)
	if len(raw) == 0 {
		return // never set
	}
	socials, err := linkbio.ParseSocials(raw)
	if err != nil {
		errs[schema.UserSocials] = apperr.Socials(err)
		return
	}
	user.Set(schema.UserSocials, socials)
}

// normalizeIdentity stores emails, usernames and codes in the one form
// that lookups use, whoever wrote them. An address is normalised when it
// is written: one stored before addresses had a canonical form, left as it
// was because another account holds that form (migration 1765900000, listed
// in email_duplicates), must not make every other edit of its account
// fail until an admin resolves it.
func normalizeIdentity(user *core.Record) {
	if user.IsNew() || user.Email() != user.Original().Email() {
		user.SetEmail(account.NormalizeEmail(user.Email()))
	}
	user.Set(schema.UserUsername, account.NormalizeUsername(user.GetString(schema.UserUsername)))
	user.Set(schema.UserReferralCode, referral.NormalizeCode(user.GetString(schema.UserReferralCode)))
}

// findReferrer loads and checks the user named in referred_by, if any.
func findReferrer(app core.App, user *core.Record) (*core.Record, error) {
	id := user.GetString(schema.UserReferredBy)
	if id == "" {
		return nil, nil
	}
	referrer, err := app.FindRecordById(schema.Users, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, validation.Errors{schema.UserReferredBy: apperr.Field(referral.ErrCodeInvalid)}
	}
	if err != nil {
		return nil, err
	}
	if err := referral.CheckReferrer(referrer.Email(), referrer.GetBool(schema.UserDisabled), user.Email()); err != nil {
		return nil, validation.Errors{schema.UserReferredBy: apperr.Field(err)}
	}
	return referrer, nil
}

func createPendingReferral(app core.App, referrer, user *core.Record, reviewReason string) error {
	referrals, err := app.FindCachedCollectionByNameOrId(schema.Referrals)
	if err != nil {
		return err
	}
	row := core.NewRecord(referrals)
	row.Set(schema.ReferralReferrer, referrer.Id)
	row.Set(schema.ReferralReferredUser, user.Id)
	row.Set(schema.ReferralCodeUsed, referrer.GetString(schema.UserReferralCode))
	row.Set(schema.ReferralStatus, schema.StatusPending)
	row.Set(schema.ReferralReviewReason, reviewReason)
	return app.Save(row)
}

// completeOnVerification records that the user verified on their pending
// referral and turns it successful, unless it is held for review: held for
// a reason other than a burst, or found part of a farm now that the
// accounts made since are known (referral.AtVerification). An expired or
// rejected referral stays so.
func completeOnVerification(tx core.App, s *stores.Set, user *core.Record) error {
	ref, err := tx.FindFirstRecordByData(schema.Referrals, schema.ReferralReferredUser, user.Id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if ref.GetString(schema.ReferralStatus) != schema.StatusPending {
		return nil
	}
	at, err := types.ParseDateTime(s.Clock())
	if err != nil {
		return err
	}
	ref.Set(schema.ReferralVerifiedAt, at)
	farm, err := s.Referrals.FarmReasons(tx, user)
	if err != nil {
		return err
	}
	reason, complete := referral.AtVerification(ref.GetString(schema.ReferralReviewReason), farm)
	ref.Set(schema.ReferralReviewReason, reason)
	if complete {
		ref.Set(schema.ReferralStatus, schema.StatusSuccessful)
	}
	return tx.Save(ref)
}

func isDisabled(user *core.Record) bool {
	return user != nil && user.GetBool(schema.UserDisabled)
}

// errOAuth2NoEmail: a new account needs a mailbox, and the provider shared
// no verified one.
var errOAuth2NoEmail = validation.NewError("required",
	"The provider shared no verified email address; send one as createData.email.")

// onOAuth2Auth lets PocketBase's own OAuth2 flow (auth-with-oauth2, the
// SDK's authWithOAuth2) sign people up under the rules of POST
// /api/register, and log existing ones in. PocketBase finds the account
// (by provider id, or by the provider's email, which its providers share
// only once verified) and links it; a new one is created through the
// users create rule that admits only this flow, from the body built here.
func onOAuth2Auth(e *core.RecordAuthWithOAuth2RequestEvent, mails *mail.Mailer) error {
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
		// mail a registration sends (best effort, off the request path).
		mails.Send(e.Record.Email(), e.Record.Id, mail.Verification)
	}
	return nil
}

// onOAuth2Create adds to an OAuth2 sign-up what a client may never set:
// what the sign-up came from (IP hash, visitor, browser), the fraud
// signals and the visit of the referral it makes.
func onOAuth2Create(e *core.RecordRequestEvent, refs *refstore.Store) error {
	if info, err := e.RequestInfo(); err == nil && info.Context == core.RequestInfoContextOAuth2 {
		cookie := ""
		if c, err := e.Request.Cookie(referral.VisitorCookie); err == nil {
			cookie = c.Value
		}
		refs.MarkSignup(e.Record, e.RealIP(), cookie)
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
			taken, err := accountstore.IsTaken(e.App, core.FieldNameEmail, email)
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

	username, err := accountstore.UniqueUsername(e.App, account.DeriveUsername(e.OAuth2User.Username, e.OAuth2User.Name, email))
	if err != nil {
		return nil, nil, err
	}
	data := map[string]any{
		core.FieldNameEmail:    email,
		schema.UserUsername:    username,
		schema.UserDisplayName: truncateRunes(e.OAuth2User.Name, 50),
	}
	if referrer != nil {
		data[schema.UserReferredBy] = referrer.Id
	}
	return data, nil, nil
}

// oauth2Referrer is the referrer of the code the client sent, else of the
// attribution cookie; a remembered code that no longer applies is
// ignored, an explicit one is reported on referral_code.
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
	referrer, err := refstore.ReferrerFor(e.App, code, email)
	switch {
	case err == nil:
		return referrer, nil
	case referral.IsRefused(err):
		if explicit {
			errs["referral_code"] = apperr.Field(err)
		}
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

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
