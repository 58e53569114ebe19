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
