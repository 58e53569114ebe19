// The browser side of passkeys: turns the server's JSON options (binary
// fields in base64url) into what navigator.credentials expects, and the
// resulting credential back into JSON for /api/passkeys/*.

const b64ToBytes = (s) => {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
};
const bytesToB64 = (buf) =>
  btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

// passkeysSupported reports whether this browser can use passkeys.
export function passkeysSupported() {
  return typeof window.PublicKeyCredential === "function" && !!navigator.credentials;
}

function descriptors(list) {
  return (list || []).map((c) => ({ ...c, id: b64ToBytes(c.id) }));
}

// credentialJSON is what both ceremonies send back: the credential's
// common fields, and its response's clientDataJSON beside the fields of
// that ceremony (response).
function credentialJSON(cred, response) {
  return {
    id: cred.id, rawId: bytesToB64(cred.rawId), type: cred.type,
    authenticatorAttachment: cred.authenticatorAttachment ?? undefined,
    clientExtensionResults: cred.getClientExtensionResults(),
    response: { clientDataJSON: bytesToB64(cred.response.clientDataJSON), ...response },
  };
}

// createPasskey runs the browser's registration ceremony for the options
// of POST /api/passkeys/register/options and returns the credential JSON.
export async function createPasskey(options) {
  const pk = options.publicKey;
  const cred = await navigator.credentials.create({
    publicKey: {
      ...pk,
      challenge: b64ToBytes(pk.challenge),
      user: { ...pk.user, id: b64ToBytes(pk.user.id) },
      excludeCredentials: descriptors(pk.excludeCredentials),
    },
  });
  return credentialJSON(cred, {
    attestationObject: bytesToB64(cred.response.attestationObject),
    transports: cred.response.getTransports?.() ?? [],
  });
}

// getPasskey runs the login ceremony for the options of POST
// /api/passkeys/login/options and returns the assertion JSON.
export async function getPasskey(options) {
  const pk = options.publicKey;
  const cred = await navigator.credentials.get({
    publicKey: { ...pk, challenge: b64ToBytes(pk.challenge), allowCredentials: descriptors(pk.allowCredentials) },
  });
  return credentialJSON(cred, {
    authenticatorData: bytesToB64(cred.response.authenticatorData),
    signature: bytesToB64(cred.response.signature),
    userHandle: cred.response.userHandle ? bytesToB64(cred.response.userHandle) : null,
  });
}
