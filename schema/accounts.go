package schema

// SecretSessionKey names the key that binds CSRF tokens to sessions.
const SecretSessionKey = "session_key"

// UserNotifyReferrals is the user's choice to get mails about their
// referrals (default true).
const UserNotifyReferrals = "notify_referrals"

// Collections of passkeys (WebAuthn).
const (
	Passkeys          = "passkeys"
	PasskeyChallenges = "passkey_challenges"
)

// Fields of passkeys: one registered credential of a user.
const (
	PasskeyUser         = "user"
	PasskeyCredentialID = "credential_id" // base64url of the raw credential id, unique
	PasskeyName         = "name"
	PasskeyCredential   = "credential" // the library's credential record, JSON
	PasskeyLastUsed     = "last_used"
)

// Fields of passkey_challenges: one pending ceremony, consumed once.
const (
	ChallengeKey     = "key"     // random id the client holds for the ceremony
	ChallengeKind    = "kind"    // register or login
	ChallengeUser    = "user"    // the registering user; empty for logins
	ChallengeSession = "session" // the library's session data, JSON
	ChallengeExpires = "expires"
)
