// The pages' redirect rule (pb_public/assets/redirect.js) against the
// cases the server's rule (redirect/redirect.go) is held to, in
// redirect/testdata/targets.json: hostile targets never leave the site,
// paths of the site are kept. No browser needed: node's URL parser is the
// WHATWG one a browser uses.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { safeNext } from "../../pb_public/assets/redirect.js";

const { origin, fallback, cases } = JSON.parse(fs.readFileSync(new URL("../../redirect/testdata/targets.json", import.meta.url)));

// staysOn: the answer, followed by a browser on origin, stays on origin.
function staysOn(target) {
  return typeof target === "string" && target.startsWith("/") && !target.startsWith("//") &&
    new URL(target, origin).origin === origin;
}

test("redirect.js keeps every target on the site, as the server does", () => {
  assert.ok(cases.length >= 50, "the cases file is there");
  for (const c of cases) {
    const got = safeNext(c.raw, fallback, origin);
    assert.ok(staysOn(got), `${JSON.stringify(c.raw)} → ${JSON.stringify(got)} leaves the site`);
    if (c.want !== null) assert.equal(got, c.want, JSON.stringify(c.raw));
  }
});

test("the issue's payloads, decoded from the address bar, go to the fallback", () => {
  for (const q of ["next=/%09/evil.com", "next=/%0A/evil.com", "next=/%0D/evil.com", "next=/%09%5C/evil.com", "next=%2F%2Fevil.com"]) {
    assert.equal(safeNext(new URLSearchParams(q).get("next"), "/dashboard", "http://localhost:8090"), "/dashboard", q);
  }
});

test("no origin, no target", () => {
  assert.equal(safeNext("/dashboard", "/fallback", undefined), "/fallback");
  assert.equal(safeNext(null, "/fallback", origin), "/fallback");
});
