// Passkeys in a real browser with Chromium's virtual authenticator (the
// DevTools WebAuthn domain): add a passkey in the dashboard, log out, log
// in with it, then remove it. The app is served as localhost: WebAuthn
// refuses an IP address as relying party.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startApp } from "../lib/app.js";
import path from "node:path";
import { launch, newUser, screenshot, problemsOf, artifacts } from "../lib/browser.js";
import { registerByAPI, getJSON } from "../lib/api.js";

let app, browser;
before(async () => { [app, browser] = await Promise.all([startApp({}, { hostname: "localhost" }), launch()]); });
after(async () => { await browser?.close(); await app?.stop(); });

// virtualAuthenticator gives page's browser a platform authenticator with
// user verification, as a phone or laptop with a fingerprint reader has.
async function virtualAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

test("add a passkey in the dashboard, log out, log in with it", async () => {
  const page = await newUser(browser, app.base);
  const { cdp, authenticatorId } = await virtualAuthenticator(page);
  await registerByAPI(page, { email: "pia@example.com", username: "pia", password: "quiet-river-5512" });

  await page.goto("/dashboard#account");
  await page.getByText("No passkeys yet.").waitFor();
  await page.getByLabel("Name of the new passkey").fill("Laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await page.getByRole("status").filter({ hasText: "Passkey “Laptop” added." }).waitFor();
  await page.getByText(/^Laptop · added/).waitFor();
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  assert.equal(credentials.length, 1);
  assert.equal(credentials[0].isResidentCredential, true, "a discoverable credential");
  await page.locator("#security").screenshot({ path: path.join(artifacts, "dashboard-security.png") });

  await page.getByRole("button", { name: "Log out", exact: true }).click();
  await page.waitForURL("**/login");
  assert.equal((await page.request.get("/api/me")).status(), 401);

  await page.getByRole("button", { name: "Use a passkey" }).click();
  await page.waitForURL("**/dashboard");
  await page.locator("#whoami", { hasText: "@pia" }).waitFor();
  await page.getByRole("tab", { name: "Account" }).click();
  const keys = await getJSON(page, "/api/passkeys");
  assert.equal(keys.items.length, 1);
  assert.notEqual(keys.items[0].last_used, "", "the login is recorded on the passkey");

  await page.getByRole("button", { name: "Remove Laptop" }).click();
  await page.getByText("No passkeys yet.").waitFor();
  await screenshot(page, "dashboard-passkeys");
  assert.deepEqual(problemsOf(page, [/status of 401/]), [], "only the logged-out /api/me check of the login page fails");
  await page.context().close();
});
