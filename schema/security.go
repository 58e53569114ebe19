package schema

// EmailDuplicates lists accounts whose stored addresses share one
// canonical form, found when emails were first canonicalised (migration
// 1765900000), for an admin to resolve. Superusers only.
const EmailDuplicates = "email_duplicates"

// Fields of email_duplicates: one canonical address and its accounts.
const (
	DuplicateEmail  = "email"  // the canonical form
	DuplicateUsers  = "users"  // the account holding it first, then the others
	DuplicateStored = "stored" // each account's address as stored, in the order of users (JSON)
)

// UsedTokens records every mailed token (password reset, verification,
// email change) once it has been used, so that each works at most once
// whichever route and whichever process consumes it. Superusers only.
const UsedTokens = "used_tokens"

// Fields of used_tokens.
const (
	UsedTokenHash    = "hash"    // SHA-256 of the token's signature, unique
	UsedTokenExpires = "expires" // the token's own expiry: the row may go after it
)
