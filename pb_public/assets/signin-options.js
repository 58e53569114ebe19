// Other ways in, on the log-in and sign-up pages: "Use a passkey"
// (log-in page, where the browser supports passkeys) and one button per
// OAuth2 provider enabled on the users collection. The OAuth2 flow is
// PocketBase's own: the provider's consent page, then /oauth2-callback,
// which posts the code to auth-with-oauth2. On the sign-up page the
// referral code in the form goes along as createData.referral_code.
import { api, messageOf, setStatus } from "/assets/api.js";
import { safeNext } from "/assets/redirect.js";
import { passkeysSupported, getPasskey } from "/assets/webauthn.js";

export const oauth2StateKey = "linkbase.oauth2";

const box = document.getElementById("signin-options");
const status = document.getElementById("signin-options-status");
const next = safeNext(new URLSearchParams(location.search).get("next"));

if (box) {
  if (box.dataset.passkey === "true" && passkeysSupported()) addPasskeyButton();
  addProviders();
}

function addButton(text, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "secondary wide-button";
  button.textContent = text;
  button.addEventListener("click", onClick);
  box.append(button);
  box.hidden = false;
  return button;
}

function addPasskeyButton() {
  const button = addButton("Use a passkey", async () => {
    setStatus(status, "");
    button.disabled = true;
    try {
      const options = await api("POST", "/api/passkeys/login/options", {});
      if (!options.ok) throw new Error(messageOf(options, "Passkeys are not available right now."));
      let credential;
      try {
        credential = await getPasskey(options.body);
      } catch {
        throw new Error("No passkey was used.");
      }
      const res = await api("POST", "/api/passkeys/login", { credential });
      if (res.ok) {
        location.assign(next);
        return;
      }
      throw new Error(res.body?.mfaId ? "Your account asks for a second step: log in with your password too." : messageOf(res, "Passkey login failed."));
    } catch (err) {
      setStatus(status, err.message, "bad");
    } finally {
      button.disabled = false;
    }
  });
}

async function addProviders() {
  const res = await api("GET", "/api/collections/users/auth-methods");
  const providers = res.ok && res.body?.oauth2?.enabled ? res.body.oauth2.providers : [];
  for (const p of providers) {
    addButton(`Continue with ${p.displayName || p.name}`, () => {
      const referral = document.querySelector("input[name=referral_code]")?.value.trim() || "";
      sessionStorage.setItem(oauth2StateKey, JSON.stringify({
        provider: p.name, state: p.state, codeVerifier: p.codeVerifier, referral, next,
      }));
      location.assign(p.authURL + encodeURIComponent(new URL("/oauth2-callback", location.origin).href));
    });
  }
}
