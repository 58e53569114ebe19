// The account pages in a real browser: log in with the email or the
// username, the dashboard's redirect when logged out, field errors,
// keyboard order, and log out.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startApp } from "../lib/app.js";
import { launch, newUser, screenshot, problemsOf, desktop, phone } from "../lib/browser.js";
import { registerByAPI } from "../lib/api.js";

let app, browser;
before(async () => { [app, browser] = await Promise.all([startApp(), launch()]); });
after(async () => { await browser?.close(); await app?.stop(); });

const ann = { email: "ann@example.com", username: "ann", password: "quiet-river-5512" };

test("logged out, the dashboard sends to the login page, which logs in by username and comes back", async () => {
  const setup = await newUser(browser, app.base);
  await registerByAPI(setup, ann);
  await setup.context().close();

  const page = await newUser(browser, app.base);
  await page.goto("/dashboard");
  await page.waitForURL("**/login?next=%2Fdashboard");
  await screenshot(page, "login-desktop");

  await page.getByLabel("Email or username").fill("ANN");
  await page.getByLabel("Password").fill("wrong-password-1");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("status").filter({ hasText: "Invalid login credentials." }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), "password", "focus goes back to the password");

  await page.getByLabel("Password").fill(ann.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL("**/dashboard");
  await page.locator("#whoami", { hasText: "@ann" }).waitFor();
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Hi, ann");
  await page.getByRole("tab", { name: "Referrals" }).click();
  assert.match(await page.getByRole("textbox", { name: "Referral link" }).inputValue(), new RegExp(`^${app.base}/register\\?referral=[a-z0-9]{8}$`));
  assert.deepEqual(problemsOf(page, [/status of 401/, /status of 404/]), []);
  await page.context().close();
});

test("login by email shows field errors for empty fields and keeps keyboard order", async () => {
  const page = await newUser(browser, app.base, phone);
  await page.goto("/login");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByText("Enter your email or username.").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), "identity");
  assert.equal(await page.getByLabel("Email or username").getAttribute("aria-invalid"), "true");

  // Tab order: identity, password, button, then the forgot-password link.
  const order = [];
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press("Tab");
    order.push(await page.evaluate(() => document.activeElement.id || document.activeElement.textContent.trim()));
  }
  assert.deepEqual(order, ["password", "Log in", "Forgot your password?"]);
  await screenshot(page, "login-phone");

  await page.getByLabel("Email or username").fill(" Ann@Example.com ");
  await page.getByLabel("Password").fill(ann.password);
  await page.keyboard.press("Enter");
  await page.waitForURL("**/dashboard");
  await page.locator("#whoami", { hasText: "@ann" }).waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), "no sideways scrolling at 360 px");

  await page.getByRole("button", { name: "Log out", exact: true }).click();
  await page.waitForURL("**/login");
  const me = await page.request.get("/api/me");
  assert.equal(me.status(), 401, "logged out for real");
  await page.context().close();
});

test("a logged-in visitor of /login goes straight to the dashboard; ?next= stays on this site", async () => {
  const page = await newUser(browser, app.base, desktop);
  await page.request.post("/api/login", { data: { identity: "ann", password: ann.password } });
  await page.goto("/login?next=//evil.example/x");
  await page.waitForURL("**/dashboard");
  assert.equal(new URL(page.url()).host, new URL(app.base).host);
  await page.context().close();
});

test("after logging in, ?next= never leaves the site, however the target is disguised", async () => {
  // Issue 12's payloads: a browser strips the tab, newline or carriage
  // return and reads a backslash as a slash, so each is "//evil.example".
  for (const next of ["/%09/evil.example", "/%0A/evil.example", "/%0D/evil.example", "/%09%5C/evil.example", "https://evil.example/"]) {
    const page = await newUser(browser, app.base, desktop);
    await page.goto("/login?next=" + next);
    await page.getByLabel("Email or username").fill("ann");
    await page.getByLabel("Password").fill(ann.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL("**/dashboard");
    assert.equal(new URL(page.url()).host, new URL(app.base).host, `the page's redirect for ${next}`);
    await page.goto("/login?next=" + next); // now with a session: the server's redirect
    await page.waitForURL("**/dashboard");
    assert.equal(new URL(page.url()).host, new URL(app.base).host, `the server's redirect for ${next}`);
    await page.context().close();
  }
});

test("log out on every device ends the other sessions too", async () => {
  const laptop = await newUser(browser, app.base, desktop);
  const phoneUser = await newUser(browser, app.base, phone);
  for (const p of [laptop, phoneUser]) {
    const res = await p.request.post("/api/login", { data: { identity: "ann", password: ann.password } });
    assert.equal(res.status(), 200);
  }
  await laptop.goto("/dashboard");
  await laptop.locator("#whoami", { hasText: "@ann" }).waitFor();
  assert.equal(await laptop.locator("#account-email").textContent(), ann.email);
  await laptop.getByRole("tab", { name: "Account" }).click();
  laptop.once("dialog", (d) => d.accept());
  await laptop.getByRole("button", { name: "Log out on every device" }).click();
  await laptop.waitForURL("**/login");
  assert.equal((await phoneUser.request.get("/api/me")).status(), 401, "the other device is logged out");
  await phoneUser.goto("/dashboard");
  await phoneUser.waitForURL("**/login?next=%2Fdashboard");
  await laptop.context().close();
  await phoneUser.context().close();
});
