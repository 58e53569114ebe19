// Every theme preset of the dashboard, applied to a real public page in
// Chromium: the colours the page's stylesheet really draws (computed
// styles, the outline buttons included) keep 4.5:1 between text, accent,
// buttons and icons and what they are drawn on. linkbio.TestThemePresets
// checks the same presets in Go; this checks the page that ships.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { startApp } from "../lib/app.js";
import { launch, newUser, desktop } from "../lib/browser.js";
import { registerByAPI } from "../lib/api.js";
import { contrast, minContrast } from "../../pb_public/assets/theme.js";

const presets = JSON.parse(fs.readFileSync(new URL("../../pb_public/assets/theme-presets.json", import.meta.url)));

let app, browser, page, me;
before(async () => {
  [app, browser] = await Promise.all([startApp(), launch()]);
  page = await newUser(browser, app.base, desktop);
  me = await registerByAPI(page, { email: "tess@example.com", username: "tess", password: "violet-harbor-3310" });
  await app.admin("POST", "/api/collections/links/records", { owner: me.id, kind: "header", title: "Listen" });
  await app.admin("POST", "/api/collections/links/records", { owner: me.id, title: "My album", url: "https://example.com/album" });
  await app.admin("PATCH", `/api/collections/users/records/${me.id}`, {
    bio: "Songs and tour dates.", socials: [{ platform: "spotify", url: "https://open.spotify.com/artist/tess" }],
  });
});
after(async () => { await browser?.close(); await app?.stop(); });

// rgb(a) "rgb(1, 2, 3)" → "#010203"; null for a transparent colour.
function hex(css) {
  const m = css.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
  if (!m || (m[4] !== undefined && Number(m[4]) === 0)) return null;
  return "#" + m.slice(1, 4).map((n) => Number(n).toString(16).padStart(2, "0")).join("");
}

test("every preset draws readable text, buttons and icons on the public page", async () => {
  assert.ok(presets.length >= 6, "the presets are there");
  for (const preset of presets) {
    await app.admin("PATCH", `/api/collections/users/records/${me.id}`, { theme: preset.theme });
    await page.goto("/tess");
    const drawn = await page.evaluate(() => {
      const style = (sel) => getComputedStyle(document.querySelector(sel));
      return {
        page: style("body").backgroundColor,
        text: style("h1").color, bio: style(".bio").color, section: style(".section h2").color,
        accent: style(".username").color, icon: style(".socials a").color,
        button: style("a.link").backgroundColor, buttonText: style("a.link").color,
      };
    });
    const bg = hex(drawn.page);
    const buttonBg = hex(drawn.button) ?? bg; // an outline button is drawn on the page
    const pairs = {
      "name on the page": [drawn.text, bg], "bio on the page": [drawn.bio, bg], "section header on the page": [drawn.section, bg],
      "username (accent) on the page": [drawn.accent, bg], "social icon on the page": [drawn.icon, bg],
      "button text on the button": [drawn.buttonText, buttonBg],
    };
    if (hex(drawn.button)) pairs["button on the page"] = [drawn.button, bg];
    for (const [name, [fg, back]] of Object.entries(pairs)) {
      const ratio = contrast(hex(fg), back);
      assert.ok(ratio >= minContrast, `${preset.name}: ${name} is ${ratio.toFixed(2)}:1 (${hex(fg)} on ${back})`);
    }
  }
});
