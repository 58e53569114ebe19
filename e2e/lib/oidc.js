// A fake OpenID Connect provider for the browser tests: the consent page
// (GET /authorize, which consents at once as the person set with as()),
// and the token and userinfo endpoints PocketBase's "oidc" provider calls,
// with single-use codes bound to their redirect URL and PKCE challenge.
import http from "node:http";
import crypto from "node:crypto";

export const clientId = "linkbase-e2e";
export const clientSecret = "fake-provider-secret-0123456789abcdef";

const b64url = (buf) => buf.toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export async function startOIDC() {
  let person = null;
  const codes = new Map();
  const tokens = new Map();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://provider");
    const json = (status, body) => { res.writeHead(status, { "Content-Type": "application/json" }); res.end(JSON.stringify(body)); };
    if (req.method === "GET" && url.pathname === "/authorize") {
      const redirect = url.searchParams.get("redirect_uri");
      if (url.searchParams.get("client_id") !== clientId || !redirect || !person) return json(400, { error: "invalid_request" });
      const code = b64url(crypto.randomBytes(24));
      codes.set(code, { person, redirect, challenge: url.searchParams.get("code_challenge") });
      const back = new URL(redirect);
      back.searchParams.set("code", code);
      back.searchParams.set("state", url.searchParams.get("state"));
      res.writeHead(302, { Location: back.href });
      return res.end();
    }
    if (req.method === "POST" && url.pathname === "/token") {
      let body = "";
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      let id = form.get("client_id"), secret = form.get("client_secret");
      const basic = req.headers.authorization?.match(/^Basic (.+)$/);
      if (basic) [id, secret] = Buffer.from(basic[1], "base64").toString().split(":").map(decodeURIComponent);
      const grant = codes.get(form.get("code"));
      codes.delete(form.get("code"));
      const verifier = form.get("code_verifier") || "";
      if (id !== clientId || secret !== clientSecret) return json(401, { error: "invalid_client" });
      if (!grant || grant.redirect !== form.get("redirect_uri") ||
          grant.challenge !== b64url(crypto.createHash("sha256").update(verifier).digest())) return json(400, { error: "invalid_grant" });
      const access = b64url(crypto.randomBytes(24));
      tokens.set(access, grant.person);
      return json(200, { access_token: access, token_type: "Bearer", expires_in: 3600 });
    }
    if (req.method === "GET" && url.pathname === "/userinfo") {
      const who = tokens.get((req.headers.authorization || "").replace(/^Bearer /, ""));
      if (!who) return json(401, { error: "invalid_token" });
      return json(200, { sub: who.sub, email: who.email, email_verified: true, name: who.name, preferred_username: who.username });
    }
    json(404, { error: "not_found" });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    // as sets who consents at the next /authorize.
    as(p) { person = p; },
    // enable turns the provider on for users, as an admin does in the dashboard.
    async enable(app) {
      await app.admin("PATCH", "/api/collections/users", {
        oauth2: {
          enabled: true,
          providers: [{
            name: "oidc", displayName: "Test ID", clientId, clientSecret, pkce: true,
            authURL: base + "/authorize", tokenURL: base + "/token", userInfoURL: base + "/userinfo",
          }],
        },
      });
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
