package testutil

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"
)

// Authenticator is a software WebAuthn authenticator holding one
// discoverable ECDSA P-256 credential: it answers the app's creation and
// request options as a browser's platform authenticator would, with
// "none" attestation. Its fields may be changed between ceremonies to
// play an attacker (another origin, another relying party, a counter
// that goes back, another user handle).
type Authenticator struct {
	Key          *ecdsa.PrivateKey
	CredentialID []byte
	UserHandle   []byte // set by Register from the options' user id
	Origin       string // the origin the browser reports, e.g. http://localhost:8090
	RPID         string // the relying party the authenticator signs for
	SignCount    uint32
}

// NewAuthenticator makes an authenticator for the app at origin (its
// relying party id is origin's host name).
func NewAuthenticator(t testing.TB, origin, rpID string) *Authenticator {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 32)
	_, _ = rand.Read(id)
	return &Authenticator{Key: key, CredentialID: id, Origin: origin, RPID: rpID}
}

// Register answers creation options (the JSON the app's register/options
// endpoint returned) with the credential JSON a browser would post.
func (a *Authenticator) Register(t testing.TB, options []byte) []byte {
	t.Helper()
	var opts struct {
		PublicKey struct {
			Challenge string `json:"challenge"`
			User      struct {
				ID string `json:"id"`
			} `json:"user"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(options, &opts); err != nil {
		t.Fatalf("creation options: %v", err)
	}
	a.UserHandle = mustB64(t, opts.PublicKey.User.ID)
	clientData := a.clientData("webauthn.create", opts.PublicKey.Challenge)

	pub, err := a.Key.PublicKey.ECDH()
	if err != nil {
		t.Fatal(err)
	}
	point := pub.Bytes() // 0x04 || X || Y
	cose, err := webauthncbor.Marshal(webauthncose.EC2PublicKeyData{
		PublicKeyData: webauthncose.PublicKeyData{KeyType: int64(webauthncose.EllipticKey), Algorithm: int64(webauthncose.AlgES256)},
		Curve:         int64(webauthncose.P256),
		XCoord:        point[1:33],
		YCoord:        point[33:],
	})
	if err != nil {
		t.Fatal(err)
	}
	authData := a.authData(0x45) // user present, user verified, attested credential data
	authData = append(authData, make([]byte, 16)...)
	authData = binary.BigEndian.AppendUint16(authData, uint16(len(a.CredentialID)))
	authData = append(authData, a.CredentialID...)
	authData = append(authData, cose...)
	attestation, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": authData})
	if err != nil {
		t.Fatal(err)
	}
	return mustJSON(t, map[string]any{
		"id": b64(a.CredentialID), "rawId": b64(a.CredentialID), "type": "public-key",
		"authenticatorAttachment": "platform", "clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON": b64(clientData), "attestationObject": b64(attestation), "transports": []string{"internal"},
		},
	})
}

// Assert answers request options (the JSON of the login/options endpoint)
// with the assertion JSON a browser would post, the counter advanced.
func (a *Authenticator) Assert(t testing.TB, options []byte) []byte {
	t.Helper()
	var opts struct {
		PublicKey struct {
			Challenge string `json:"challenge"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(options, &opts); err != nil {
		t.Fatalf("request options: %v", err)
	}
	return a.AssertChallenge(t, opts.PublicKey.Challenge)
}

// AssertChallenge signs challenge (base64url) as Assert does.
func (a *Authenticator) AssertChallenge(t testing.TB, challenge string) []byte {
	t.Helper()
	a.SignCount++
	clientData := a.clientData("webauthn.get", challenge)
	authData := a.authData(0x05) // user present, user verified
	digest := sha256.Sum256(clientData)
	signed := sha256.Sum256(append(append([]byte{}, authData...), digest[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, a.Key, signed[:])
	if err != nil {
		t.Fatal(err)
	}
	return mustJSON(t, map[string]any{
		"id": b64(a.CredentialID), "rawId": b64(a.CredentialID), "type": "public-key",
		"authenticatorAttachment": "platform", "clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON": b64(clientData), "authenticatorData": b64(authData),
			"signature": b64(sig), "userHandle": b64(a.UserHandle),
		},
	})
}

func (a *Authenticator) clientData(kind, challenge string) []byte {
	b, _ := json.Marshal(map[string]any{"type": kind, "challenge": challenge, "origin": a.Origin, "crossOrigin": false})
	return b
}

func (a *Authenticator) authData(flags byte) []byte {
	rp := sha256.Sum256([]byte(a.RPID))
	out := append(rp[:], flags)
	return binary.BigEndian.AppendUint32(out, a.SignCount)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func mustB64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("base64url %q: %v", s, err)
	}
	return b
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
