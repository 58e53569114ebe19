// Accessibility checks with axe-core (an npm dev dependency, run only in
// the tests): its source is evaluated through the DevTools protocol, which
// the page's CSP does not govern, so the page itself stays unchanged.
import fs from "node:fs";
import { createRequire } from "node:module";

const source = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

// axeViolations runs the WCAG 2.x A and AA rules on the page as it is and
// returns the violations as "rule: target" lines, for a readable diff.
export async function axeViolations(page) {
  await page.evaluate(source);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
  }));
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
}
