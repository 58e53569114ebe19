// OAuth2 sign-up with a referral in a real browser, through PocketBase's own
// flow against a fake OIDC provider: the referral link's sign-up page, the
// "Continue with …" button, the provider, /oauth2-callback, the dashboard;
// then the referrer's stats count the sign-up, and the same button logs
// the person in again later.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startApp } from "../lib/app.js";
import { startOIDC } from "../lib/oidc.js";
import { launch, newUser, screenshot, problemsOf } from "../lib/browser.js";
import { registerByAPI, getJSON } from "../lib/api.js";

let app, browser, provider;
before(async () => {
  [app, browser, provider] = await Promise.all([startApp(), launch(), startOIDC()]);
  await provider.enable(app);
});
after(async () => { await browser?.close(); await app?.stop(); await provider?.stop(); });

test("sign up with an OAuth2 provider from a referral link; the referral counts", async () => {
  const referrerPage = await newUser(browser, app.base);
  const referrer = await registerByAPI(referrerPage, { email: "rita@example.com", username: "rita", password: "quiet-river-5512" });

  const page = await newUser(browser, app.base);
  provider.as({ sub: "oidc-omar", email: "Omar@Example.com", name: "Omar Haddad", username: "omar" });
  await page.goto(`/register?referral=${referrer.referral_code}`);
  await page.getByRole("button", { name: "Continue with Test ID" }).click();
  await page.waitForURL("**/dashboard");
  await page.locator("#whoami", { hasText: "@omar" }).waitFor();
  await screenshot(page, "oauth2-signup-dashboard");

  const me = await getJSON(page, "/api/me");
  assert.equal(me.email, "omar@example.com");
  assert.equal(me.verified, true, "the provider vouched for the address");

  const stats = await getJSON(referrerPage, "/api/referral-stats");
  assert.equal(stats.signups, 1);
  assert.equal(stats.successful, 1, "verified by the provider, so the referral completes at once");
  const list = await getJSON(referrerPage, "/api/referrals");
  assert.equal(list.items[0].username, "omar");
  assert.deepEqual(problemsOf(page), []);

  // Log out, then the same button logs the same account in.
  await page.getByRole("button", { name: "Log out", exact: true }).click();
  await page.waitForURL("**/login");
  await page.getByRole("button", { name: "Continue with Test ID" }).click();
  await page.waitForURL("**/dashboard");
  await page.locator("#whoami", { hasText: "@omar" }).waitFor();
  await page.context().close();
  await referrerPage.context().close();
});

test("a callback whose state this browser did not start is refused", async () => {
  const page = await newUser(browser, app.base);
  await page.goto("/oauth2-callback?code=stolen&state=not-mine");
  await page.getByRole("status").filter({ hasText: "not the one this browser started" }).waitFor();
  assert.equal((await page.request.get("/api/me")).status(), 401);
  await page.context().close();
});
