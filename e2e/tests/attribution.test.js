// The attribution cookie in a real browser (issue 13): a friend opens a
// referral link, wanders off without signing up, comes back to /register
// with no code in the address, and signs up: the referral is still
// counted, because the link's page remembered the code in the lb_ref
// cookie (HttpOnly, SameSite=Lax, kept for attribution_days).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startApp } from "../lib/app.js";
import { launch, newUser, problemsOf, desktop } from "../lib/browser.js";
import { registerByAPI, getJSON } from "../lib/api.js";

let app, browser;

before(async () => { [app, browser] = await Promise.all([startApp(), launch()]); });
after(async () => { await browser?.close(); await app?.stop(); });

test("a sign-up after leaving the referral link is still attributed", async () => {
  const ann = await newUser(browser, app.base, desktop);
  const me = await registerByAPI(ann, { email: "ann@example.com", username: "ann", password: "quiet-river-5512" });

  const bob = await newUser(browser, app.base, desktop);
  await bob.goto(`/register?referral=${me.referral_code.toUpperCase()}`);
  const [remembered] = (await bob.context().cookies()).filter((c) => c.name === "lb_ref");
  assert.ok(remembered, "the link's page sets lb_ref");
  assert.equal(remembered.value, me.referral_code);
  assert.equal(remembered.httpOnly, true);
  assert.equal(remembered.sameSite, "Lax");
  const days = (remembered.expires - Date.now() / 1000) / 86400;
  assert.ok(days > 59.9 && days <= 60, `kept for ${days} days, want 60 (attribution_days)`);
  assert.equal(await bob.evaluate(() => document.cookie.includes("lb_ref")), false, "scripts cannot read it");

  // Off to the landing page, then back to the sign-up page without a code.
  await bob.goto("/");
  await bob.goto("/register");
  assert.equal(await bob.getByLabel("Referral code").inputValue(), "", "no code in the form");
  await bob.getByLabel("Email").fill("bob@example.com");
  await bob.getByLabel("Username").fill("bob");
  await bob.getByLabel("Password").fill("mellow-canyon-8841");
  await bob.getByRole("button", { name: "Sign up" }).click();
  await bob.waitForURL("**/dashboard");
  assert.deepEqual(problemsOf(bob), []);

  const list = await getJSON(ann, "/api/referrals");
  assert.equal(list.total_items, 1);
  assert.equal(list.items[0].username, "bob");
  assert.equal(list.items[0].status, "pending");

  // A browser that never opened a referral link signs up unreferred.
  const cat = await newUser(browser, app.base, desktop);
  await registerByAPI(cat, { email: "cat@example.com", username: "cat", password: "silver-meadow-3310" });
  assert.equal((await getJSON(ann, "/api/referrals")).total_items, 1);
  await Promise.all([bob.context().close(), cat.context().close()]);
});
