package passkey

import (
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/schema"
)

// ChallengeTTL is how long a ceremony may take between its options and
// its answer.
const ChallengeTTL = 5 * time.Minute

// Ceremony kinds, the values of passkey_challenges.kind.
const (
	kindRegister = "register"
	kindLogin    = "login"
)

// Store keeps passkeys and their challenges in the app's database, so a
// challenge is consumed once (an atomic DELETE … RETURNING) whichever
// process serves the ceremony's second request, and dies with its expiry.
type Store struct {
	app core.App
	now func() time.Time
}

// New returns the passkey store of app; now is its clock.
func New(app core.App, now func() time.Time) *Store { return &Store{app: app, now: now} }

// Info is what a user sees of one of their passkeys.
type Info struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Created  string `json:"created"`
	LastUsed string `json:"last_used"`
}

// relyingParty is built from the app URL as it stands in the settings now.
func (s *Store) relyingParty() (*webauthn.WebAuthn, error) {
	meta := s.app.Settings().Meta
	return RelyingParty(meta.AppURL, meta.AppName)
}

// BeginRegistration starts registering a new passkey for user: the
// creation options for the browser, asking for a discoverable credential
// and excluding the ones the user already has.
func (s *Store) BeginRegistration(user *core.Record) (*protocol.CredentialCreation, error) {
	wa, err := s.relyingParty()
	if err != nil {
		return nil, err
	}
	wu, err := s.webUser(user)
	if err != nil {
		return nil, err
	}
	options, session, err := wa.BeginRegistration(wu,
		webauthn.WithExclusions(webauthn.Credentials(wu.creds).CredentialDescriptors()),
		webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementRequired))
	if err != nil {
		return nil, err
	}
	if err := s.saveChallenge(kindRegister, user.Id, session); err != nil {
		return nil, err
	}
	return options, nil
}

// FinishRegistration checks the browser's answer (the credential as
// PublicKeyCredential.toJSON() gives it) against the challenge it signed,
// consuming that challenge, and stores the new passkey under name.
func (s *Store) FinishRegistration(user *core.Record, name string, credential []byte) (*core.Record, error) {
	parsed, err := protocol.ParseCredentialCreationResponseBytes(credential)
	if err != nil {
		return nil, errors.Join(ErrInvalid, err)
	}
	session, err := s.consume(kindRegister, parsed.Response.CollectedClientData.Challenge, user.Id)
	if err != nil {
		return nil, err
	}
	wa, err := s.relyingParty()
	if err != nil {
		return nil, err
	}
	wu, err := s.webUser(user)
	if err != nil {
		return nil, err
	}
	cred, err := wa.CreateCredential(wu, *session, parsed)
	if err != nil {
		return nil, errors.Join(ErrInvalid, err)
	}
	id := encodeID(cred.ID)
	if taken, err := s.app.CountRecords(schema.Passkeys, dbx.HashExp{schema.PasskeyCredentialID: id}); err != nil {
		return nil, err
	} else if taken > 0 {
		return nil, ErrCredentialTaken
	}
	collection, err := s.app.FindCachedCollectionByNameOrId(schema.Passkeys)
	if err != nil {
		return nil, err
	}
	row := core.NewRecord(collection)
	row.Set(schema.PasskeyUser, user.Id)
	row.Set(schema.PasskeyCredentialID, id)
	row.Set(schema.PasskeyName, name)
	row.Set(schema.PasskeyCredential, cred)
	if err := s.app.Save(row); err != nil {
		return nil, err
	}
	return row, nil
}

// BeginLogin starts a login with a discoverable credential: the browser
// offers the passkeys it holds for this relying party, no identity needed.
func (s *Store) BeginLogin() (*protocol.CredentialAssertion, error) {
	wa, err := s.relyingParty()
	if err != nil {
		return nil, err
	}
	options, session, err := wa.BeginDiscoverableLogin()
	if err != nil {
		return nil, err
	}
	if err := s.saveChallenge(kindLogin, "", session); err != nil {
		return nil, err
	}
	return options, nil
}

// FinishLogin checks an assertion against the challenge it signed
// (consuming it) and the stored public key of its credential, whose user
// handle must name the credential's owner; it returns that owner. The
// signature counter must advance (the library's clone detection): a
// credential whose counter went back is refused with ErrCloned.
func (s *Store) FinishLogin(assertion []byte) (*core.Record, error) {
	parsed, err := protocol.ParseCredentialRequestResponseBytes(assertion)
	if err != nil {
		return nil, errors.Join(ErrInvalid, err)
	}
	session, err := s.consume(kindLogin, parsed.Response.CollectedClientData.Challenge, "")
	if err != nil {
		return nil, err
	}
	wa, err := s.relyingParty()
	if err != nil {
		return nil, err
	}
	var row, user *core.Record
	handler := func(rawID, userHandle []byte) (webauthn.User, error) {
		row, err = s.app.FindFirstRecordByData(schema.Passkeys, schema.PasskeyCredentialID, encodeID(rawID))
		if err != nil {
			return nil, ErrInvalid
		}
		if row.GetString(schema.PasskeyUser) != string(userHandle) {
			return nil, ErrInvalid // a credential presented as another user's
		}
		if user, err = s.app.FindRecordById(schema.Users, row.GetString(schema.PasskeyUser)); err != nil {
			return nil, ErrInvalid
		}
		return s.webUser(user)
	}
	_, cred, err := wa.ValidatePasskeyLogin(handler, *session, parsed)
	if err != nil {
		return nil, errors.Join(ErrInvalid, err)
	}
	if cred.Authenticator.CloneWarning {
		return nil, ErrCloned
	}
	row.Set(schema.PasskeyCredential, cred)
	row.Set(schema.PasskeyLastUsed, types.NowDateTime())
	if err := s.app.Save(row); err != nil {
		return nil, err
	}
	return user, nil
}

// List is the user's passkeys, oldest first.
func (s *Store) List(userID string) ([]Info, error) { return List(s.app, userID) }

// List is the user's passkeys on app, oldest first: a query of the app
// it runs on, for readers that hold no Store (the data export).
func List(app core.App, userID string) ([]Info, error) {
	rows, err := app.FindRecordsByFilter(schema.Passkeys, schema.PasskeyUser+" = {:user}", "created", 0, 0, dbx.Params{"user": userID})
	if err != nil {
		return nil, err
	}
	out := make([]Info, 0, len(rows))
	for _, r := range rows {
		out = append(out, infoOf(r))
	}
	return out, nil
}

// Delete removes one of the user's passkeys; another user's, or an unknown
// one, is ErrNotFound.
func (s *Store) Delete(userID, id string) error {
	row, err := s.app.FindRecordById(schema.Passkeys, id)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && row.GetString(schema.PasskeyUser) != userID) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return s.app.Delete(row)
}

func infoOf(r *core.Record) Info {
	lastUsed := ""
	if d := r.GetDateTime(schema.PasskeyLastUsed); !d.IsZero() {
		lastUsed = d.Time().UTC().Format(time.RFC3339)
	}
	return Info{
		ID: r.Id, Name: r.GetString(schema.PasskeyName),
		Created:  r.GetDateTime("created").Time().UTC().Format(time.RFC3339),
		LastUsed: lastUsed,
	}
}

// InfoOf is the Info of a passkey record.
func InfoOf(r *core.Record) Info { return infoOf(r) }

// saveChallenge stores a ceremony's session under its challenge, after
// dropping expired ones so the table stays small.
func (s *Store) saveChallenge(kind, userID string, session *webauthn.SessionData) error {
	now := s.now().UTC()
	expired, _ := types.ParseDateTime(now)
	if _, err := s.app.DB().Delete(schema.PasskeyChallenges, dbx.NewExp("[["+schema.ChallengeExpires+"]] < {:now}", dbx.Params{"now": expired.String()})).Execute(); err != nil {
		return fmt.Errorf("dropping expired passkey challenges: %w", err)
	}
	session.Expires = now.Add(ChallengeTTL)
	collection, err := s.app.FindCachedCollectionByNameOrId(schema.PasskeyChallenges)
	if err != nil {
		return err
	}
	row := core.NewRecord(collection)
	row.Set(schema.ChallengeKey, session.Challenge)
	row.Set(schema.ChallengeKind, kind)
	row.Set(schema.ChallengeUser, userID)
	row.Set(schema.ChallengeSession, session)
	row.Set(schema.ChallengeExpires, session.Expires)
	return s.app.Save(row)
}

// consume takes the challenge out of the store in one statement, so of
// two requests answering it at once only one gets it; it must be of kind,
// started by userID (empty for logins), and not expired.
func (s *Store) consume(kind, challenge, userID string) (*webauthn.SessionData, error) {
	var row struct {
		Session string `db:"session"`
		Expires string `db:"expires"`
		User    string `db:"user"`
	}
	err := s.app.DB().NewQuery("DELETE FROM {{" + schema.PasskeyChallenges + "}} WHERE [[" + schema.ChallengeKey + "]] = {:key} AND [[" +
		schema.ChallengeKind + "]] = {:kind} RETURNING [[session]], [[expires]], [[user]]").
		Bind(dbx.Params{"key": challenge, "kind": kind}).One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrChallenge
	}
	if err != nil {
		return nil, err
	}
	expires, err := types.ParseDateTime(row.Expires)
	if err != nil || !s.now().Before(expires.Time()) || row.User != userID {
		return nil, ErrChallenge
	}
	session := &webauthn.SessionData{}
	if err := json.Unmarshal([]byte(row.Session), session); err != nil {
		return nil, err
	}
	return session, nil
}

// webUser is user as the library sees it: the record id is the user
// handle (opaque, random, and never reused).
func (s *Store) webUser(user *core.Record) (*webUser, error) {
	rows, err := s.app.FindAllRecords(schema.Passkeys, dbx.HashExp{schema.PasskeyUser: user.Id})
	if err != nil {
		return nil, err
	}
	wu := &webUser{id: user.Id, name: user.Email(), display: user.GetString(schema.UserUsername)}
	for _, r := range rows {
		var c webauthn.Credential
		raw, _ := r.GetRaw(schema.PasskeyCredential).(types.JSONRaw)
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("passkey %s: %w", r.Id, err)
		}
		wu.creds = append(wu.creds, c)
	}
	return wu, nil
}

type webUser struct {
	id, name, display string
	creds             []webauthn.Credential
}

func (u *webUser) WebAuthnID() []byte                         { return []byte(u.id) }
func (u *webUser) WebAuthnName() string                       { return u.name }
func (u *webUser) WebAuthnDisplayName() string                { return u.display }
func (u *webUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

func encodeID(id []byte) string { return base64.RawURLEncoding.EncodeToString(id) }
