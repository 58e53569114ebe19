// Starts the real Linkbase binary for a test file: built once with `go
// build` (or taken from LINKBASE_E2E_BINARY, which the Go wrapper test
// sets), served on a free loopback port with a fresh temporary data folder.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

let built = "";

// binary returns the path of a linkbase binary built from this checkout
// (once per test process, removed when it exits).
export function binary() {
  if (process.env.LINKBASE_E2E_BINARY) return process.env.LINKBASE_E2E_BINARY;
  if (!built) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linkbase-e2e-bin-"));
    process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    built = path.join(dir, "linkbase");
    execFileSync("go", ["build", "-o", built, "."], { cwd: repo, stdio: "inherit" });
  }
  return built;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Each browser context plays a person at their own address: the app is set
// up as behind a proxy (X-Forwarded-For trusted, as README's deploy advice
// says), so the referral fraud signal "same IP as the referrer" and the
// per-IP rate limits see different people, as they would in production.
export const superuser = { email: "e2e-admin@example.com", password: "e2e-admin-password-1" };

// startApp serves a fresh Linkbase and resolves to {base, dataDir, admin,
// stop}; the app URL is the served address, so mailed links open here, and
// admin(method, path, body) calls the API as a superuser. hostname names
// the loopback address in the app URL: "localhost" for passkeys, whose
// relying party cannot be an IP address.
export async function startApp(env = {}, { hostname = "127.0.0.1" } = {}) {
  const bin = binary();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "linkbase-e2e-data-"));
  execFileSync(bin, ["superuser", "upsert", superuser.email, superuser.password, "--dir", dataDir], { stdio: "ignore" });
  const port = await freePort();
  const base = `http://${hostname}:${port}`;
  const internal = `http://127.0.0.1:${port}`; // node's own calls, whatever localhost resolves to
  const log = [];
  const child = spawn(bin, ["serve", "--http", `127.0.0.1:${port}`, "--dir", dataDir], {
    env: { ...process.env, LINKBASE_APP_URL: base, LINKBASE_COUNTER_FLUSH_INTERVAL: "1s", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => log.push(String(d)));
  child.stderr.on("data", (d) => log.push(String(d)));
  let exited = null;
  child.on("exit", (code) => { exited = code; });

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited !== null) throw new Error(`linkbase exited with ${exited}:\n${log.join("")}`);
    try {
      const res = await fetch(internal + "/api/health");
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`linkbase did not become healthy in 30 s:\n${log.join("")}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const auth = await fetch(internal + "/api/collections/_superusers/auth-with-password", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ identity: superuser.email, password: superuser.password }),
  });
  const { token } = await auth.json();
  async function admin(method, p, body) {
    const res = await fetch(internal + p, {
      method, headers: { Authorization: token, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${p} as superuser: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  }
  await admin("PATCH", "/api/settings", { trustedProxy: { headers: ["X-Forwarded-For"], useLeftmostIP: true } });

  return {
    base,
    dataDir,
    admin,
    log: () => log.join(""),
    async stop() {
      if (exited === null) {
        const done = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
        if (exited === null) child.kill("SIGKILL");
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
