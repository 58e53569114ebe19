// Where an OAuth2 provider sends the browser back: checks that the state is
// the one this browser started with, then hands the code to PocketBase's
// auth-with-oauth2 (as the SDK's authWithOAuth2Code does), which signs the
// person up or in and sets the session cookies.
import { api, messageOf, setStatus } from "/assets/api.js";
import { safeNext } from "/assets/redirect.js";
import { oauth2StateKey } from "/assets/signin-options.js";

const status = document.getElementById("status");
const params = new URLSearchParams(location.search);
const saved = JSON.parse(sessionStorage.getItem(oauth2StateKey) || "null");
sessionStorage.removeItem(oauth2StateKey);
history.replaceState(null, "", location.pathname); // the code is single-use: keep it out of history

if (params.get("error")) {
  setStatus(status, "The provider did not sign you in. Please try again.", "bad");
} else if (!saved || !params.get("code") || params.get("state") !== saved.state) {
  setStatus(status, "This sign-in link is not the one this browser started. Please start again from the log-in page.", "bad");
} else {
  const createData = saved.referral ? { referral_code: saved.referral } : {};
  const res = await api("POST", "/api/collections/users/auth-with-oauth2", {
    provider: saved.provider, code: params.get("code"), codeVerifier: saved.codeVerifier,
    redirectURL: new URL("/oauth2-callback", location.origin).href, createData,
  });
  if (res.ok) {
    location.replace(safeNext(saved.next));
  } else {
    const fields = Object.values(res.body?.data ?? {}).map((f) => f.message).filter(Boolean);
    setStatus(status, fields.length ? fields.join(" ") : messageOf(res, "Could not sign you in."), "bad");
  }
}
