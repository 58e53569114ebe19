// The dashboard's theme rules (pb_public/assets/theme.js) against the
// server's (linkbio/contrast.go): the same resolved colours, or the same
// refusal, for every case in linkbio/testdata/theme-resolve.json (which a
// Go test keeps equal to what the server does). No browser needed.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { resolveTheme, contrast, pairs, minContrast } from "../../pb_public/assets/theme.js";

const cases = JSON.parse(fs.readFileSync(new URL("../../linkbio/testdata/theme-resolve.json", import.meta.url)));

test("theme.js resolves every theme as the server does", () => {
  assert.ok(cases.length >= 50, "the cases file is there");
  for (const c of cases) {
    const got = resolveTheme(c.theme);
    if (c.resolved === null) {
      assert.ok(got.problem, `${JSON.stringify(c.theme)} should be refused`);
    } else {
      assert.deepEqual(got.theme, c.resolved, JSON.stringify(c.theme));
      for (const p of pairs(got.theme)) assert.ok(contrast(p.fg, p.bg) >= minContrast, p.name);
    }
  }
});

test("contrast follows WCAG 2.1", () => {
  assert.equal(contrast("#000", "#fff"), 21);
  assert.equal(contrast("#123456", "#123456"), 1);
  assert.equal(Math.round(contrast("#767676", "#ffffff") * 100) / 100, 4.54);
});

test("a refusal names the faint pair", () => {
  const { problem } = resolveTheme({ background: "#ffffff", text: "#bbbbbb" });
  assert.equal(problem.name, "Text on the background");
  assert.ok(problem.ratio > 1 && problem.ratio < minContrast);
});
