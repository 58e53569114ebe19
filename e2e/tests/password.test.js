// Password recovery in a real browser: /forgot-password mails a link (read
// from the outbox the app writes while SMTP is not set up), the link's page
// sets a new password, the old one stops working, the link is single-use.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startApp } from "../lib/app.js";
import { launch, newUser, screenshot, problemsOf, desktop, phone } from "../lib/browser.js";
import { registerByAPI } from "../lib/api.js";
import { waitForLink } from "../lib/mail.js";

let app, browser;
before(async () => { [app, browser] = await Promise.all([startApp(), launch()]); });
after(async () => { await browser?.close(); await app?.stop(); });

const dana = { email: "dana@example.com", username: "dana", password: "copper-harbor-6120" };
const fresh = "violet-summit-9034";

test("a malformed address gets an inline error; a good one the same answer as an unknown one", async () => {
  const setup = await newUser(browser, app.base);
  await registerByAPI(setup, dana);
  await setup.context().close();

  const page = await newUser(browser, app.base, phone);
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.waitForURL("**/forgot-password");
  await page.getByLabel("Email").fill("not-an-address");
  await page.getByRole("button", { name: "Send reset link" }).click();
  await page.locator("#email-error").filter({ hasText: /./ }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), "email");

  await page.getByLabel("Email").fill("nobody@example.com");
  await page.getByRole("button", { name: "Send reset link" }).click();
  await page.getByText("If an account exists for nobody@example.com, a reset link is on its way. Check your inbox.").waitFor();

  await page.getByLabel("Email").fill(dana.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await page.getByText(`If an account exists for ${dana.email}, a reset link is on its way.`, { exact: false }).waitFor();
  await screenshot(page, "forgot-password-phone");
  // The login page asks /api/me (401 when logged out); the bad address 400.
  assert.deepEqual(problemsOf(page, [/status of 401/, /status of 400/]), []);
  await page.context().close();
});

test("the mailed link sets a new password once; the old password stops working", async () => {
  const link = await waitForLink(app.dataDir, dana.email, "/reset-password?token=");
  const page = await newUser(browser, app.base, desktop);
  await page.goto(link);
  assert.ok(!page.url().includes("token="), "the token leaves the address bar");
  await page.getByLabel("New password", { exact: true }).fill(fresh);
  await page.getByLabel("Repeat the new password").fill(fresh + "x");
  await page.getByRole("button", { name: "Set new password" }).click();
  await page.getByText("The two passwords differ.").waitFor();
  await page.getByLabel("Repeat the new password").fill(fresh);
  await screenshot(page, "reset-password-desktop");
  await page.getByRole("button", { name: "Set new password" }).click();
  await page.getByText("Your password was changed.", { exact: false }).waitFor();

  // The same link again: refused.
  await page.goto(link);
  await page.getByLabel("New password", { exact: true }).fill("another-river-4410");
  await page.getByLabel("Repeat the new password").fill("another-river-4410");
  await page.getByRole("button", { name: "Set new password" }).click();
  await page.getByText("This link is invalid or has expired.", { exact: false }).waitFor();

  await page.goto("/login");
  await page.getByLabel("Email or username").fill(dana.username);
  await page.getByLabel("Password").fill(dana.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByText("Invalid login credentials.").waitFor();
  await page.getByLabel("Password").fill(fresh);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL("**/dashboard");
  await page.locator("#whoami", { hasText: "@dana" }).waitFor();
  await page.context().close();
});
