// Every page against axe-core's WCAG 2.1 A/AA rules (labels, contrast,
// names, landmarks, ARIA), at desktop and phone widths, logged out and in.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startApp } from "../lib/app.js";
import { launch, newUser, screenshot, desktop, phone } from "../lib/browser.js";
import { registerByAPI } from "../lib/api.js";
import { axeViolations } from "../lib/axe.js";

let app, browser;
before(async () => { [app, browser] = await Promise.all([startApp(), launch()]); });
after(async () => { await browser?.close(); await app?.stop(); });

const pages = ["/", "/login", "/forgot-password", "/register?referral=abcd2345", "/reset-password?token=x", "/verify-email"];

for (const viewport of [desktop, phone]) {
  test(`the public pages pass axe at ${viewport.width} px`, async () => {
    const page = await newUser(browser, app.base, viewport);
    for (const path of pages) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      assert.deepEqual(await axeViolations(page), [], path);
      if (path === "/") await screenshot(page, viewport === desktop ? "landing-desktop" : "landing-phone");
    }
    await page.context().close();
  });
}

test("the dashboard with data, its error states and the profile page pass axe", async () => {
  const page = await newUser(browser, app.base, desktop);
  await registerByAPI(page, { email: "erin@example.com", username: "erin", password: "harbor-lights-5520" });
  await page.request.post("/api/collections/links/records", {
    data: { owner: (await (await page.request.get("/api/me")).json()).id, title: "Site", url: "https://erin.example" },
    headers: { "X-CSRF-Token": (await page.context().cookies()).find((c) => c.name === "csrf_token").value },
  });
  await page.goto("/dashboard");
  await page.locator("#link-list .title").first().waitFor();
  await page.waitForLoadState("networkidle");
  assert.deepEqual(await axeViolations(page), [], "/dashboard");
  for (const viewport of [desktop, phone]) {
    await page.setViewportSize(viewport);
    for (const tab of ["Analytics", "Referrals", "Account", "My page"]) {
      await page.getByRole("tab", { name: tab }).click();
      await page.waitForLoadState("networkidle");
      assert.deepEqual(await axeViolations(page), [], `/dashboard, ${tab} tab at ${viewport.width} px`);
    }
  }
  await page.setViewportSize(desktop);

  // Field errors shown.
  await page.getByLabel("Title").fill("x");
  await page.getByRole("button", { name: "Add link" }).click();
  await page.getByText("Enter a URL.").waitFor();
  assert.deepEqual(await axeViolations(page), [], "/dashboard with a field error");

  await page.goto("/erin");
  assert.deepEqual(await axeViolations(page), [], "/erin");
  await page.context().close();
});
