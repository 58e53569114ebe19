// The dashboard's editors in a real browser: profile and theme, links
// (add, edit, schedule, hide, reorder by keyboard), the copy button in the
// Referrals tab, the live preview, and screenshots at desktop and phone
// widths.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startApp } from "../lib/app.js";
import { launch, newUser, screenshot, problemsOf, desktop, phone } from "../lib/browser.js";
import { registerByAPI, getJSON } from "../lib/api.js";

let app, browser, page;
before(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
  page = await newUser(browser, app.base, desktop);
  await registerByAPI(page, { email: "cleo@example.com", username: "cleo", password: "amber-lantern-2047" });
  await page.goto("/dashboard");
  await page.locator("#whoami", { hasText: "@cleo" }).waitFor();
});
after(async () => { await browser?.close(); await app?.stop(); });

test("the copy button puts the referral link on the clipboard", async () => {
  await page.getByRole("tab", { name: "Referrals" }).click();
  await page.getByRole("button", { name: "Copy link" }).click();
  await page.getByText("Copied to the clipboard.").waitFor();
  const link = await page.getByRole("textbox", { name: "Referral link" }).inputValue();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  await page.getByRole("tab", { name: "My page" }).click();
});

test("the profile editor saves name, bio and theme", async () => {
  await page.getByLabel("Display name").fill("Cleo <b>Smith</b>");
  await page.getByLabel("Bio", { exact: true }).fill("Pottery & tea.\nSecond line.");
  await page.getByLabel("Button style").selectOption("pill");
  // The preview follows the form before anything is saved.
  await page.locator("#preview .pv-name").filter({ hasText: "Cleo <b>Smith</b>" }).waitFor();
  assert.equal(await page.locator("#preview .pv").getAttribute("data-button-style"), "pill");
  await page.getByRole("button", { name: "Save profile" }).click();
  await page.getByText("Profile saved.").waitFor();
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Hi, Cleo <b>Smith</b>", "shown as text, not markup");

  const me = await getJSON(page, "/api/me");
  assert.equal(me.display_name, "Cleo <b>Smith</b>");
  assert.equal(me.bio, "Pottery & tea.\nSecond line.");

  await page.reload();
  await page.locator("#whoami", { hasText: "@cleo" }).waitFor();
  assert.equal(await page.getByLabel("Display name").inputValue(), "Cleo <b>Smith</b>");
});

test("a too-long display name gets the API's field error", async () => {
  await page.getByLabel("Display name").evaluate((el) => { el.removeAttribute("maxlength"); });
  await page.getByLabel("Display name").fill("x".repeat(80));
  await page.getByRole("button", { name: "Save profile" }).click();
  await page.locator("#display_name-error").filter({ hasText: /./ }).waitFor();
  assert.equal(await page.getByLabel("Display name").getAttribute("aria-invalid"), "true");
  await page.getByLabel("Display name").fill("Cleo");
  await page.getByRole("button", { name: "Save profile" }).click();
  await page.getByText("Profile saved.").waitFor();
});

async function addLink(title, url) {
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("URL").fill(url);
  await page.getByRole("button", { name: "Add link" }).click();
  await page.getByText(`Added “${title}”.`).waitFor();
  await page.locator("#link-list .title").filter({ hasText: title }).waitFor();
}

const titles = () => page.locator("#link-list .title").allTextContents();

test("links are added, refused when unsafe, edited, scheduled, disabled and reordered", async () => {
  await addLink("Shop", "https://shop.example.com");
  await addLink("Blog", "https://blog.example.com");
  await addLink("Mail me", "mailto:cleo@example.com");
  assert.deepEqual(await titles(), ["Shop", "Blog", "Mail me"]);

  await page.getByLabel("Title").fill("Bad");
  await page.getByLabel("URL").fill("javascript:alert(1)");
  await page.getByRole("button", { name: "Add link" }).click();
  await page.locator("#link-url-error").filter({ hasText: /./ }).waitFor();
  assert.deepEqual(await titles(), ["Shop", "Blog", "Mail me"], "nothing stored");
  await page.getByLabel("Title").fill("");
  await page.getByLabel("URL").fill("");

  // Reorder with the keyboard: focus "Move up: Mail me" and press Enter twice.
  await page.getByRole("button", { name: "Move up: Mail me" }).focus();
  await page.keyboard.press("Enter");
  await page.getByText("Moved “Mail me” up.").waitFor();
  await page.keyboard.press("Enter"); // focus stayed on the moved link's button
  await page.locator("#link-list .title").first().filter({ hasText: "Mail me" }).waitFor();
  assert.deepEqual(await titles(), ["Mail me", "Shop", "Blog"]);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Move down: Mail me",
    "at the top, the focus moves to the link's other button");

  // Edit: rename and schedule Blog for the future.
  await page.getByRole("button", { name: "Edit Blog" }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), "link-title");
  await page.getByLabel("Title").fill("Journal");
  await page.getByText("Schedule (optional)").click();
  await page.getByLabel("Show from (optional)").fill("2999-01-01T10:00");
  await page.getByRole("button", { name: "Save link" }).click();
  await page.getByText("Saved “Journal”.").waitFor();
  await page.getByText(/Scheduled from/).waitFor();

  await page.getByRole("button", { name: "Hide Shop" }).click();
  await page.getByText("“Shop” is now hidden on your page.").waitFor();
  // The preview shows what the page shows: only Mail me is live.
  assert.deepEqual(await page.locator("#preview .pv-link").allTextContents(), ["Mail me"]);

  const { items } = await getJSON(page, "/api/collections/links/records?sort=position");
  assert.deepEqual(items.map((l) => [l.title, l.position, l.enabled]),
    [["Mail me", 0, true], ["Shop", 1, false], ["Journal", 2, true]]);
  assert.match(items[2].starts_at, /^2999-01-01 10:00:00/);
  await screenshot(page, "dashboard-desktop");
  // The analytics' per-link table follows the editor without a reload.
  await page.getByRole("tab", { name: "Analytics" }).click();
  await page.locator("#analytics-links td").filter({ hasText: "Journal" }).waitFor();
  assert.deepEqual(await page.locator("#analytics-links tbody td:first-child").allTextContents(), ["Mail me", "Shop", "Journal"]);
  await page.getByRole("tab", { name: "My page" }).click();
  assert.deepEqual(problemsOf(page, [/status of 400/, /status of 404/]), []);
});

// A 1x1 PNG, for the avatar upload.
const pixel = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

test("an avatar is uploaded and removed again, with a refusal for a file that is no image", async () => {
  await page.getByLabel(/^Picture/).setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
  await page.getByRole("button", { name: "Upload avatar" }).click();
  await page.locator("#avatar-error").filter({ hasText: /./ }).waitFor();

  await page.getByLabel(/^Picture/).setInputFiles({ name: "me.png", mimeType: "image/png", buffer: pixel });
  await page.getByRole("button", { name: "Upload avatar" }).click();
  await page.getByText("Avatar updated.").waitFor();
  await page.locator("#avatar-preview").waitFor({ state: "visible" });
  assert.ok((await getJSON(page, "/api/me")).avatar_url, "avatar_url set");

  await page.getByRole("button", { name: "Remove avatar" }).click();
  await page.getByText("Avatar removed.").waitFor();
  assert.equal((await getJSON(page, "/api/me")).avatar_url, "");

  await page.getByLabel(/^Picture/).setInputFiles({ name: "me.png", mimeType: "image/png", buffer: pixel });
  await page.getByRole("button", { name: "Upload avatar" }).click();
  await page.getByText("Avatar updated.").waitFor();
});

test("the public page shows the live links in order; a click is counted in the analytics", async () => {
  await addLink("Home", `${app.base}/?via=cleo`);
  const visitor = await newUser(browser, app.base, phone);
  await visitor.goto("/cleo");
  assert.equal(await visitor.getByRole("heading", { level: 1 }).textContent(), "Cleo");
  assert.equal(await visitor.locator(".bio").textContent(), "Pottery & tea.\nSecond line.");
  // Disabled "Shop" and not-yet-started "Journal" are not shown.
  assert.deepEqual(await visitor.getByRole("link").allTextContents(), ["Mail me", "Home"]);
  assert.equal(await visitor.locator("body").getAttribute("data-button-style"), "pill", "the theme from the editor");
  assert.ok(await visitor.locator("img.avatar").evaluate((img) => img.complete && img.naturalWidth > 0), "the avatar loads");
  assert.ok(await visitor.evaluate(() => document.documentElement.scrollWidth <= 360), "fits a phone");
  await screenshot(visitor, "profile-phone");

  await visitor.getByRole("link", { name: "Home" }).click();
  await visitor.waitForURL(`${app.base}/?via=cleo`);
  assert.deepEqual(problemsOf(visitor), []);
  await visitor.context().close();

  // Views and clicks show once their buffer is written (every second here).
  for (let tries = 0; ; tries++) {
    await page.reload();
    await page.getByRole("tab", { name: "Analytics" }).click();
    await page.locator('[data-stat="clicks"]').waitFor();
    if (await page.locator('[data-stat="clicks"] dd').textContent() === "1") break;
    assert.ok(tries < 20, "the click never showed in the analytics");
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(await page.locator('[data-stat="views"] dd').textContent(), "1");
  assert.equal(await page.locator('[data-stat="clicks"] dd').textContent(), "1");
  const homeRow = page.locator("#analytics-links tbody tr").filter({ hasText: "Home" });
  assert.equal(await homeRow.locator("td.num").textContent(), "1");
  await screenshot(page, "dashboard-analytics-desktop");

  await page.getByRole("tab", { name: "My page" }).click();
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Delete Shop" }).click();
  await page.getByText("Deleted “Shop”.").waitFor();
  assert.deepEqual(await titles(), ["Mail me", "Journal", "Home"]);
  const { items } = await getJSON(page, "/api/collections/links/records");
  assert.ok(!items.some((l) => l.title === "Shop"), "deleted for real");
});

test("a link dragged by its handle moves in the list and the preview, and stays there", async () => {
  assert.deepEqual(await titles(), ["Mail me", "Journal", "Home"]);
  const handle = page.getByRole("button", { name: "Reorder Home" });
  const from = await handle.boundingBox();
  const top = await page.locator("#link-list li").first().boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2, top.y + 4, { steps: 10 });
  await page.mouse.up();
  await page.getByText("Moved “Home” to position 1 of 3.").waitFor();
  assert.deepEqual(await titles(), ["Home", "Mail me", "Journal"]);
  assert.deepEqual(await page.locator("#preview .pv-link").allTextContents(), ["Home", "Mail me"], "the preview follows (Journal is scheduled)");

  // The handle moves its link with the arrow keys, and keeps the focus.
  await handle.focus();
  await page.keyboard.press("ArrowDown");
  await page.getByText("Moved “Home” down.").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Reorder Home");

  await page.reload();
  await page.locator("#link-list .title").first().waitFor();
  assert.deepEqual(await titles(), ["Mail me", "Home", "Journal"], "saved");
});

test("the dashboard fits a 360 px phone", async () => {
  const small = await newUser(browser, app.base, phone);
  await small.request.post("/api/login", { data: { identity: "cleo", password: "amber-lantern-2047" } });
  await small.goto("/dashboard");
  await small.locator("#whoami", { hasText: "@cleo" }).waitFor();
  assert.ok(await small.evaluate(() => document.documentElement.scrollWidth <= 360), "no sideways scrolling");
  await screenshot(small, "dashboard-phone");
  await small.context().close();
});
