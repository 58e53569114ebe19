// The dashboard's "Sign-in and your data" section, on its own: passkeys
// (add, list, remove), the email change (PocketBase's request-email-change;
// the mail links to /confirm-email-change), referral mails on or off, the
// data export and deleting the account.
import { api, messageOf, setStatus, showFieldErrors } from "/assets/api.js";
import { passkeysSupported, createPasskey } from "/assets/webauthn.js";

const status = document.getElementById("security-status");
const list = document.getElementById("passkey-list");
const empty = document.getElementById("passkeys-empty");
const passkeyForm = document.getElementById("passkey-form");
const emailForm = document.getElementById("email-change-form");
const notify = document.getElementById("notify-referrals");
const deleteForm = document.getElementById("delete-form");

const me = await api("GET", "/api/me");
if (me.ok) start(me.body);

function start(user) {
  loadPasskeys();
  if (!passkeysSupported()) {
    passkeyForm.hidden = true;
    document.getElementById("passkeys-unsupported").hidden = false;
  }
  passkeyForm.addEventListener("submit", addPasskey);
  emailForm.addEventListener("submit", changeEmail);
  deleteForm.addEventListener("submit", deleteAccount);
  loadNotify(user.id);
}

async function loadPasskeys() {
  const res = await api("GET", "/api/passkeys");
  if (!res.ok) {
    setStatus(status, messageOf(res, "Could not load your passkeys."), "bad");
    return;
  }
  list.replaceChildren(...res.body.items.map(passkeyItem));
  empty.hidden = res.body.items.length > 0;
}

function passkeyItem(key) {
  const li = document.createElement("li");
  const text = document.createElement("span");
  const used = key.last_used ? `last used ${key.last_used.slice(0, 10)}` : "never used";
  text.textContent = `${key.name} · added ${key.created.slice(0, 10)} · ${used} `;
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "danger small";
  remove.textContent = `Remove ${key.name}`;
  remove.addEventListener("click", async () => {
    const res = await api("DELETE", `/api/passkeys/${encodeURIComponent(key.id)}`);
    if (res.ok) {
      setStatus(status, `Passkey “${key.name}” removed.`, "ok");
      await loadPasskeys();
    } else {
      setStatus(status, messageOf(res, "Could not remove the passkey."), "bad");
    }
  });
  li.append(text, remove);
  return li;
}

async function addPasskey(event) {
  event.preventDefault();
  setStatus(status, "");
  const button = document.getElementById("passkey-add");
  button.disabled = true;
  try {
    const options = await api("POST", "/api/passkeys/register/options", {});
    if (!options.ok) throw new Error(messageOf(options, "Could not start adding a passkey."));
    let credential;
    try {
      credential = await createPasskey(options.body);
    } catch {
      throw new Error("No passkey was created.");
    }
    const res = await api("POST", "/api/passkeys/register", { name: passkeyForm.name.value.trim(), credential });
    if (!res.ok) {
      showFieldErrors(passkeyForm, res.body?.data);
      throw new Error(messageOf(res, "Could not add the passkey."));
    }
    passkeyForm.reset();
    setStatus(status, `Passkey “${res.body.name}” added. You can now log in with it.`, "ok");
    await loadPasskeys();
  } catch (err) {
    setStatus(status, err.message, "bad");
  } finally {
    button.disabled = false;
  }
}

async function changeEmail(event) {
  event.preventDefault();
  const newEmail = emailForm.newEmail.value.trim();
  if (!newEmail) {
    showFieldErrors(emailForm, { newEmail: { message: "Enter the new address." } })?.focus();
    return;
  }
  const res = await api("POST", "/api/collections/users/request-email-change", { newEmail });
  const first = showFieldErrors(emailForm, res.body?.data);
  if (res.ok) {
    emailForm.reset();
    setStatus(status, `We sent a confirmation link to ${newEmail}. Your address changes once you open it.`, "ok");
  } else {
    setStatus(status, messageOf(res, "Could not start the email change."), "bad");
    first?.focus();
  }
}

async function loadNotify(userID) {
  const res = await api("GET", `/api/collections/users/records/${encodeURIComponent(userID)}?fields=notify_referrals`);
  if (res.ok) notify.checked = res.body.notify_referrals !== false;
  notify.addEventListener("change", async () => {
    const out = await api("PATCH", `/api/collections/users/records/${encodeURIComponent(userID)}`, { notify_referrals: notify.checked });
    if (out.ok) setStatus(status, notify.checked ? "Referral mails are on." : "Referral mails are off.", "ok");
    else {
      notify.checked = !notify.checked;
      setStatus(status, messageOf(out, "Could not save your choice."), "bad");
    }
  });
}

async function deleteAccount(event) {
  event.preventDefault();
  const password = deleteForm.password.value;
  if (!password) {
    showFieldErrors(deleteForm, { password: { message: "Type your password to confirm." } })?.focus();
    return;
  }
  const res = await api("POST", "/api/me/delete", { password });
  if (res.ok) {
    location.assign("/?deleted=1");
    return;
  }
  showFieldErrors(deleteForm, res.body?.data)?.focus();
  setStatus(status, messageOf(res, "Could not delete the account."), "bad");
}
