// The creator's walkthrough of issue 16, once at 1280 px and once at
// 360 px, each with a creator of its own: add a section header and a
// social icon, drag a link with the pointer and move one with the
// keyboard (one atomic POST /api/links/order each), see the preview and
// the public page change, then read the analytics by device, with a
// link-preview bot and a prefetch left out. Every state is checked with
// axe; the screenshots are README's.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startApp } from "../lib/app.js";
import { launch, newUser, screenshot, problemsOf, desktop, phone, userAgents, artifacts } from "../lib/browser.js";
import { registerByAPI, getJSON } from "../lib/api.js";
import { axeViolations } from "../lib/axe.js";

let app, browser;
before(async () => { [app, browser] = await Promise.all([startApp(), launch()]); });
after(async () => { await browser?.close(); await app?.stop(); });

for (const [width, viewport, username] of [["desktop", desktop, "nia"], ["phone", phone, "omar"]]) {
  describe(`the walkthrough at ${viewport.width} px`, () => {
    let page;
    const blockTitles = () => page.locator("#link-list .title").allTextContents();
    const previewBlocks = () => page.locator("#preview .pv-blocks li").allTextContents();
    const axeClean = async (where) => assert.deepEqual(await axeViolations(page), [], `${where} at ${viewport.width} px`);

    before(async () => {
      page = await newUser(browser, app.base, viewport);
      await registerByAPI(page, { email: `${username}@example.com`, username, password: "copper-kettle-7731" });
      await page.goto("/dashboard");
      await page.locator("#whoami", { hasText: `@${username}` }).waitFor();
    });

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
      await addLink("Mugs", "https://example.com/mugs");
      await addLink("Plates", "https://example.com/plates");
      await addLink("Newsletter", "https://example.com/news");
      assert.deepEqual(await blockTitles(), ["Shop", "Mugs", "Plates", "Newsletter"]);
      assert.deepEqual(await previewBlocks(), ["Shop", "Mugs", "Plates", "Newsletter"]);
      assert.equal(await page.locator("#preview .pv-header").textContent(), "Shop");
      await axeClean("the editor with a section");
    });

    test("a social icon is added in place, checked by the server, and shown", async () => {
      await page.locator("#socials-card").waitFor();
      await page.getByRole("button", { name: "Add an icon" }).click();
      await page.getByLabel("Instagram address").fill("javascript:alert(1)");
      await page.getByRole("button", { name: "Save icons" }).click();
      await page.getByText("Must be a web address starting with https:// or http://.").waitFor();
      await axeClean("a refused icon");
      await page.getByLabel("Instagram address").fill(`https://instagram.com/${username}`);
      await page.getByRole("button", { name: "Save icons" }).click();
      await page.getByText("Icons saved.").waitFor();
      await page.locator('#preview .pv-socials [aria-label="Instagram"]').waitFor();
      const profile = await getJSON(page, `/api/profiles/${username}`);
      assert.deepEqual(profile.socials, [{ platform: "instagram", url: `https://instagram.com/${username}` }]);
    });

    test("a link dragged with the pointer, then moved by the keyboard, is saved in one request each", async () => {
      const orders = [];
      const onRequest = (r) => {
        if (r.url().endsWith("/api/links/order")) orders.push(r.postDataJSON().ids.length);
        if (r.method() === "PATCH" && r.url().includes("/api/collections/links/")) orders.push("a PATCH");
      };
      page.on("request", onRequest);

      // The handle is dragged up to the window's edge and held there: the
      // page scrolls up under it (on a phone the list is taller than the
      // screen) until the link is first, then it is let go.
      const handle = page.getByRole("button", { name: "Reorder Newsletter" });
      await handle.scrollIntoViewIfNeeded();
      const from = await handle.boundingBox();
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(from.x + from.width / 2, 20, { steps: 12 });
      await page.waitForFunction(() => document.querySelector("#link-list li").classList.contains("dragging"));
      await page.mouse.up();
      await page.getByText("Moved “Newsletter” to position 1 of 4.").waitFor();
      assert.deepEqual(await blockTitles(), ["Newsletter", "Shop", "Mugs", "Plates"]);
      assert.deepEqual(await previewBlocks(), ["Newsletter", "Shop", "Mugs", "Plates"], "the preview changed with it");

      await page.getByRole("button", { name: "Reorder Plates" }).focus();
      await page.keyboard.press("ArrowUp");
      await page.getByText("Moved “Plates” up.").waitFor();
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Reorder Plates", "the focus stays on the handle");
      assert.deepEqual(await previewBlocks(), ["Newsletter", "Shop", "Plates", "Mugs"]);

      // The saves run one after another; the last one shows its message
      // after the order is stored.
      await page.waitForLoadState("networkidle");
      page.off("request", onRequest);
      const { links } = await getJSON(page, `/api/profiles/${username}`);
      assert.deepEqual(links.map((l) => [l.title, l.kind]), [["Newsletter", "link"], ["Shop", "header"], ["Plates", "link"], ["Mugs", "link"]]);
      assert.deepEqual(orders, [4, 4], "one atomic request per move, no PATCH per link");
      await axeClean("the editor after reordering");
      await screenshot(page, `walkthrough-editor-${width}`);
      assert.deepEqual(problemsOf(page, [/status of 400/]), []);
    });

    test("the public page shows the section, the icon row and the new order", async () => {
      const visitor = await newUser(browser, app.base, viewport, userAgents.iPhone);
      await visitor.goto(`/${username}`);
      assert.deepEqual(await visitor.locator(".socials a").evaluateAll((as) => as.map((a) => a.getAttribute("aria-label"))), ["Instagram"]);
      assert.deepEqual(await visitor.locator("main h2").allTextContents(), ["Shop"]);
      assert.deepEqual(await visitor.locator("a.link").allTextContents(), ["Newsletter", "Plates", "Mugs"]);
      assert.ok(await visitor.evaluate((w) => document.documentElement.scrollWidth <= w, viewport.width), "no sideways scrolling");
      assert.deepEqual(await axeViolations(visitor), [], "the public page");
      const ogImage = await visitor.locator('meta[property="og:image"]').getAttribute("content");
      assert.match(ogImage, new RegExp(`/${username}/og\\.png\\?v=`));
      await screenshot(visitor, `walkthrough-profile-${width}`);
      if (width === "desktop") {
        const png = await visitor.request.get(ogImage);
        assert.equal(png.headers()["content-type"], "image/png");
        fs.mkdirSync(artifacts, { recursive: true });
        fs.writeFileSync(path.join(artifacts, "walkthrough-og.png"), await png.body());
      }
      assert.deepEqual(problemsOf(visitor), []);
      await visitor.context().close();
    });

    test("the analytics count visitors by device, without the link-preview bot and the prefetch", async () => {
      // So far: the iPhone visitor above. Now a computer, a preview bot
      // and a prefetch.
      const laptop = await newUser(browser, app.base, desktop, userAgents.desktop);
      await laptop.goto(`/${username}?utm_source=newsletter`);
      await laptop.context().close();
      const bot = await page.request.get(`/${username}`, { headers: { "User-Agent": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)" } });
      assert.equal(bot.status(), 200);
      const prefetch = await page.request.get(`/${username}`, { headers: { "User-Agent": userAgents.desktop, "Sec-Purpose": "prefetch" } });
      assert.equal(prefetch.status(), 200);

      await page.getByRole("tab", { name: "Analytics" }).click();
      // Views show once their buffer is written (every second here).
      for (let tries = 0; ; tries++) {
        await page.locator('[data-stat="views"]').waitFor();
        if (await page.locator('[data-stat="views"] dd').textContent() === "2") break;
        assert.ok(tries < 20, "the views never showed in the analytics");
        await new Promise((r) => setTimeout(r, 300));
        await page.locator("#analytics-days").selectOption(tries % 2 ? "30" : "7"); // loads them again
      }
      assert.equal(await page.locator('[data-stat="unique_views"] dd').textContent(), "2");
      assert.match(await page.locator('#analytics-devices li[data-name="mobile"]').textContent(), /1 view\b/);
      assert.match(await page.locator('#analytics-devices li[data-name="desktop"]').textContent(), /1 view\b/);
      assert.match(await page.locator('#analytics-utm li[data-name="newsletter"]').textContent(), /1 view\b/);
      await axeClean("the analytics tab");
      await screenshot(page, `walkthrough-analytics-${width}`);
      assert.deepEqual(problemsOf(page, [/status of 400/]), []);
      await page.getByRole("tab", { name: "My page" }).click();
    });
  });
}

test("an unknown name gets the styled 404 page", async () => {
  const visitor = await newUser(browser, app.base, phone);
  const res = await visitor.goto("/no-such-creator");
  assert.equal(res.status(), 404);
  assert.equal(await visitor.getByRole("heading", { level: 1 }).textContent(), "There is no page at /no-such-creator");
  assert.deepEqual(await axeViolations(visitor), [], "the 404 page");
  await screenshot(visitor, "not-found-phone");
  assert.deepEqual(problemsOf(visitor, [/status of 404/]), []);
  await visitor.context().close();
});
