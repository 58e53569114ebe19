// Drives Debian's chromium through playwright-core; no browser is ever
// downloaded. Each page records console errors, failed requests and CSP
// violations, so a test can assert that a flow ran clean.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

// artifacts is where screenshots of every run go (a CI artifact);
// e2e/screenshots/ holds the committed set shown in the README.
export const artifacts = process.env.E2E_ARTIFACTS ||
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../artifacts");

export const desktop = { width: 1280, height: 900 };
export const phone = { width: 360, height: 740 };

// Ordinary browsers' user agents. Headless Chromium calls itself
// "HeadlessChrome", which the crawler list names, so its views and clicks
// would not count: every person here presents one of these instead, the
// phone's at phone width.
export const userAgents = {
  desktop: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  phone: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
  iPhone: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
};

// launch starts headless Chromium; playwright gives it a new, empty
// --user-data-dir of its own (it refuses one in args).
export function launch() {
  return chromium.launch({
    executablePath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

let people = 0;

// newUser opens a fresh context (its own cookies: one person, at an address
// of their own, see startApp, with an ordinary browser's user agent) and a
// page.
export async function newUser(browser, base, viewport = desktop, userAgent = viewport.width < 600 ? userAgents.phone : userAgents.desktop) {
  people++;
  const context = await browser.newContext({
    baseURL: base, viewport, locale: "en-US", timezoneId: "UTC", userAgent,
    extraHTTPHeaders: { "X-Forwarded-For": `203.0.113.${people % 250 + 1}` },
  });
  context.setDefaultTimeout(20_000); // generous: CI runs other packages alongside
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  const page = await context.newPage();
  page.problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") page.problems.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => page.problems.push(`page error: ${err.message}`));
  return page;
}

// screenshot saves a full-page PNG under artifacts/<name>.png.
export async function screenshot(page, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, name + ".png"), fullPage: true });
}

// problemsOf returns what went wrong on a page, ignoring the expected
// answers a test provoked (e.g. a 401 for a wrong password).
export function problemsOf(page, expected = []) {
  return page.problems.filter((p) => !expected.some((re) => re.test(p)));
}
