// The creator's walkthrough of issue 16, at desktop and phone widths: add
// a section header, a social icon, drag a link, see the preview change,
// and read the analytics by device with a crawler left out.
//
// It needs the endpoints and hooks of phase B (POST /api/links/order,
// headers and socials accepted and shown, analytics by device), so it is
// kept out of the default run (npm test and go test run tests/ only) until
// they land; then it moves to tests/ and its screenshots are committed.
// Run it alone with: cd e2e && npm run walkthrough
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startApp } from "../lib/app.js";
import { launch, newUser, screenshot, problemsOf, desktop, phone } from "../lib/browser.js";
import { registerByAPI, getJSON } from "../lib/api.js";

// Headless Chromium says "HeadlessChrome", which the crawler list names:
// the visitors here present ordinary browsers.
const iPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
const laptop = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

let app, browser, page;
const creator = { email: "nia@example.com", username: "nia", password: "copper-kettle-7731" };

before(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
  page = await newUser(browser, app.base, desktop);
  await registerByAPI(page, creator);
  await page.goto("/dashboard");
  await page.locator("#whoami", { hasText: "@nia" }).waitFor();
});
after(async () => { await browser?.close(); await app?.stop(); });

const blockTitles = () => page.locator("#link-list .title").allTextContents();
const previewBlocks = () => page.locator("#preview .pv-blocks li").allTextContents();

async function addLink(title, url) {
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("URL").fill(url);
  await page.getByRole("button", { name: "Add link" }).click();
  await page.getByText(`Added “${title}”.`).waitFor();
}

test("a section header and links show in the editor and the preview", async () => {
  await page.getByLabel("Header text").fill("Shop");
  await page.getByRole("button", { name: "Add section" }).click();
  await page.getByText("Added the section “Shop”.").waitFor();
  await addLink("Mugs", "https://nia.example/mugs");
  await addLink("Plates", "https://nia.example/plates");
  await addLink("Newsletter", "https://nia.example/news");
  assert.deepEqual(await blockTitles(), ["Shop", "Mugs", "Plates", "Newsletter"]);
  assert.deepEqual(await previewBlocks(), ["Shop", "Mugs", "Plates", "Newsletter"]);
  assert.equal(await page.locator("#preview .pv-header").textContent(), "Shop");
});

test("a social icon is added in place, checked by the server, and shown", async () => {
  await page.locator("#socials-card").waitFor();
  await page.getByRole("button", { name: "Add an icon" }).click();
  await page.getByLabel("Instagram address").fill("javascript:alert(1)");
  await page.getByRole("button", { name: "Save icons" }).click();
  await page.getByText("Must be a web address starting with https:// or http://.").waitFor();
  await page.getByLabel("Instagram address").fill("https://instagram.com/nia");
  await page.getByRole("button", { name: "Save icons" }).click();
  await page.getByText("Icons saved.").waitFor();
  await page.locator('#preview .pv-socials [aria-label="Instagram"]').waitFor();
  const profile = await getJSON(page, "/api/profiles/nia");
  assert.deepEqual(profile.socials, [{ platform: "instagram", url: "https://instagram.com/nia" }]);
});

test("a link dragged with the pointer, then moved by the keyboard, is saved in one request each", async () => {
  const orders = [];
  page.on("request", (r) => { if (r.url().endsWith("/api/links/order")) orders.push(r.postDataJSON().ids.length); });

  const handle = page.getByRole("button", { name: "Reorder Newsletter" });
  const target = page.locator("#link-list li").first();
  const from = await handle.boundingBox();
  const to = await target.boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2, to.y + 4, { steps: 12 });
  await page.mouse.up();
  await page.getByText("Moved “Newsletter” to position 1 of 4.").waitFor();
  assert.deepEqual(await blockTitles(), ["Newsletter", "Shop", "Mugs", "Plates"]);
  assert.deepEqual(await previewBlocks(), ["Newsletter", "Shop", "Mugs", "Plates"], "the preview changed with it");

  await page.getByRole("button", { name: "Reorder Plates" }).focus();
  await page.keyboard.press("ArrowUp");
  await page.getByText("Moved “Plates” up.").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Reorder Plates", "the focus stays on the handle");

  const { links } = await getJSON(page, "/api/profiles/nia");
  assert.deepEqual(links.map((l) => [l.title, l.kind]), [["Newsletter", "link"], ["Shop", "header"], ["Plates", "link"], ["Mugs", "link"]]);
  assert.deepEqual(orders, [4, 4], "one atomic request per move");
  await screenshot(page, "dashboard-editor-desktop");
  assert.deepEqual(problemsOf(page, [/status of 400/]), []);
});

async function visit(userAgent, viewport) {
  const context = await browser.newContext({ baseURL: app.base, viewport, userAgent, extraHTTPHeaders: { "X-Forwarded-For": `198.51.100.${viewport.width % 200}` } });
  const visitor = await context.newPage();
  await visitor.goto("/nia");
  return visitor;
}

test("visitors on a phone and a computer are counted by device; a link preview bot is not", async () => {
  const onPhone = await visit(iPhone, phone);
  assert.deepEqual(await onPhone.locator(".socials a").evaluateAll((as) => as.map((a) => a.getAttribute("aria-label"))), ["Instagram"]);
  assert.ok(await onPhone.evaluate(() => document.documentElement.scrollWidth <= 360), "fits a phone");
  await screenshot(onPhone, "profile-sections-phone");
  const onLaptop = await visit(laptop, desktop);
  const bot = await page.request.get(`${app.base}/nia`, { headers: { "User-Agent": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)" } });
  assert.equal(bot.status(), 200);
  await onPhone.context().close();
  await onLaptop.context().close();

  await page.getByRole("tab", { name: "Analytics" }).click();
  await page.locator('#analytics-devices li[data-name="mobile"]').waitFor();
  assert.equal(await page.locator('[data-stat="views"] dd').textContent(), "2", "the bot is not counted");
  assert.match(await page.locator('#analytics-devices li[data-name="mobile"]').textContent(), /1 view\b/);
  assert.match(await page.locator('#analytics-devices li[data-name="desktop"]').textContent(), /1 view\b/);
  await screenshot(page, "dashboard-devices-desktop");
});

test("the editor and its preview at 360 px", async () => {
  const small = await newUser(browser, app.base, phone);
  await small.request.post("/api/login", { data: { identity: creator.username, password: creator.password } });
  await small.goto("/dashboard");
  await small.locator("#preview .pv-header").waitFor();
  assert.ok(await small.evaluate(() => document.documentElement.scrollWidth <= 360), "no sideways scrolling");
  await screenshot(small, "dashboard-editor-phone");
  await small.context().close();
});
