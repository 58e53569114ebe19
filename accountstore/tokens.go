package accountstore

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"

	"linkbase/account"
	"linkbase/schema"
)

// unknownExpiry is how long a used token without an exp claim is
// remembered (PocketBase issues none such; the longest it issues is the
// verification token's 7 days).
const unknownExpiry = 30 * 24 * time.Hour

// ConsumeToken marks a mailed token (password reset, verification, email
// change) used, inside tx, the transaction that acts on it: it inserts the
// token's hash under a unique index, so of concurrent uses, on any route
// and in any process sharing the database, only one transaction can
// commit; a token already used is account.ErrTokenInvalid. The token must
// have been verified already. The key is the token's signature, decoded:
// a JWT's text can be re-encoded (the last base64 character's spare bits)
// without changing what it proves, its signature bytes cannot.
func ConsumeToken(tx core.App, token string) error {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return account.ErrTokenInvalid
	}
	sig, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[2], "="))
	if err != nil || len(sig) == 0 {
		return account.ErrTokenInvalid
	}
	sum := sha256.Sum256(sig)
	expires := time.Now().Add(unknownExpiry)
	if claims, err := security.ParseUnverifiedJWT(token); err == nil {
		if exp, ok := claims["exp"].(float64); ok && exp > 0 {
			expires = time.Unix(int64(exp), 0)
		}
	}
	until, err := types.ParseDateTime(expires)
	if err != nil {
		return err
	}
	res, err := tx.DB().NewQuery("INSERT INTO {{" + schema.UsedTokens + "}} ([[id]], [[" + schema.UsedTokenHash + "]], [[" + schema.UsedTokenExpires + "]]) " +
		"VALUES ({:id}, {:hash}, {:expires}) ON CONFLICT DO NOTHING").
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "hash": hex.EncodeToString(sum[:]), "expires": until.String()}).
		Execute()
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return account.ErrTokenInvalid
	}
	return nil
}

// PurgeUsedTokens forgets the tokens that expired before now: they are
// refused for their expiry anyway.
func PurgeUsedTokens(app core.App, now time.Time) error {
	cutoff, err := types.ParseDateTime(now)
	if err != nil {
		return err
	}
	_, err = app.DB().Delete(schema.UsedTokens, dbx.NewExp("[["+schema.UsedTokenExpires+"]] < {:cutoff}", dbx.Params{"cutoff": cutoff.String()})).Execute()
	return err
}
