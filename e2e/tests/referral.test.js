// The referral flow in a real browser: a referrer shares the link from the
// dashboard, a friend opens it, signs up on /register (with an inline field
// error first), the referrer's stats and chart count the visit and the
// sign-up; the friend follows the verification link from the captured mail
// and the referral turns successful, with credits and a rewards row.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startApp } from "../lib/app.js";
import { launch, newUser, screenshot, problemsOf, desktop, phone } from "../lib/browser.js";
import { waitForLink } from "../lib/mail.js";

let app, browser, ann, link;
const today = new Date().toISOString().slice(0, 10);

before(async () => { [app, browser] = await Promise.all([startApp(), launch()]); });
after(async () => { await browser?.close(); await app?.stop(); });

const stat = (page, key) => page.locator(`[data-stat="${key}"] dd`).textContent();

async function signUp(page, { email, username, password }) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
}

test("the referrer signs up on /register and finds the link on the dashboard", async () => {
  ann = await newUser(browser, app.base, desktop);
  await ann.goto("/register");
  await signUp(ann, { email: "ann@example.com", username: "ann", password: "quiet-river-5512" });
  await ann.waitForURL("**/dashboard");
  await ann.locator("#whoami", { hasText: "@ann" }).waitFor();
  await ann.getByRole("tab", { name: "Referrals" }).click(); // kept in the address: reloads reopen it
  link = await ann.getByRole("textbox", { name: "Referral link" }).inputValue();
  assert.match(link, new RegExp(`^${app.base}/register\\?referral=[a-z0-9]{8}$`));
  await ann.locator('[data-stat="visits"]').waitFor();
  assert.equal(await stat(ann, "visits"), "0");
  assert.equal(await stat(ann, "signups"), "0");
  await ann.locator("#referral-qr").waitFor({ state: "visible" }); // the QR code of the link loaded
  assert.equal(await ann.locator("#referral-qr").evaluate((img) => img.naturalWidth > 0), true);
});

test("a friend opens the link, fixes a taken username inline and signs up", async () => {
  const bob = await newUser(browser, app.base, phone);
  await bob.goto(link);
  const code = new URL(link).searchParams.get("referral");
  assert.equal(await bob.getByLabel("Referral code").inputValue(), code, "the code is filled in");
  await screenshot(bob, "register-phone");

  await signUp(bob, { email: "bob@example.com", username: "ann", password: "mellow-canyon-8841" });
  await bob.getByText("Username already taken.").waitFor();
  assert.equal(new URL(bob.url()).pathname, "/register", "still on the form");

  await bob.getByLabel("Username").fill("bob");
  await bob.getByRole("button", { name: "Sign up" }).click();
  await bob.waitForURL("**/dashboard");
  await bob.locator("#whoami", { hasText: "@bob" }).waitFor();
  assert.deepEqual(problemsOf(bob, [/status of 400/]), []);

  // The verification link from the captured mail verifies bob.
  const verify = await waitForLink(app.dataDir, "bob@example.com", "/verify-email?token=");
  await bob.goto(verify);
  await bob.getByText("Thank you, your email address is verified.").waitFor();
  assert.ok(!bob.url().includes("token="), "the token leaves the address bar");
  await screenshot(bob, "verify-email-phone");
  await bob.goto("/dashboard");
  await bob.locator("#whoami", { hasText: "@bob" }).waitFor();
  assert.ok(await bob.locator("#verify-banner").isHidden(), "no more 'verify' banner");
  await bob.context().close();
});

test("the referrer's stats, chart, list and credits show the referral", async () => {
  await ann.reload();
  await ann.locator('[data-stat="visits"]').waitFor();
  assert.equal(await stat(ann, "visits"), "1");
  assert.equal(await stat(ann, "signups"), "1");
  assert.equal(await stat(ann, "successful"), "1");
  assert.equal(await stat(ann, "conversion_rate"), "100%");

  const bar = ann.locator(`#referral-chart g[data-date="${today}"] title`);
  assert.equal(await bar.textContent(), `${today}: Visits 1, Sign-ups 1`);
  assert.match(await ann.locator("#referral-chart svg").getAttribute("aria-label"), /^Visits: 1, Sign-ups: 1 over 30 days$/);

  const row = ann.locator("#referrals-table tbody tr").first();
  assert.match(await row.textContent(), /bob\s*successful/);

  const credits = parseInt(await ann.locator("#credits-balance").textContent(), 10);
  assert.ok(credits > 0, `credits granted (${credits})`);
  await ann.locator("#rewards-table tbody tr").first().waitFor();
  assert.match(await ann.locator("#rewards-table tbody tr").first().textContent(), /\+\d+$/, "a rewards row");
  await screenshot(ann, "dashboard-referrals-desktop");

  await ann.getByLabel("Filter by status").selectOption("pending");
  await ann.getByText("Nobody yet. Share your link!").waitFor();
  assert.deepEqual(problemsOf(ann, [/status of 404/]), []);
});

test("a new code retires the old link", async () => {
  ann.once("dialog", (d) => d.accept());
  await ann.getByRole("button", { name: "Get a new code" }).click();
  await ann.getByText("Your new link is ready.").waitFor();
  const fresh = await ann.getByRole("textbox", { name: "Referral link" }).inputValue();
  assert.notEqual(fresh, link);

  const carl = await newUser(browser, app.base, desktop);
  await carl.goto(link);
  await signUp(carl, { email: "carl@example.com", username: "carl", password: "silver-meadow-3310" });
  await carl.getByText("Referral code has expired.").waitFor();
  await carl.context().close();
});
