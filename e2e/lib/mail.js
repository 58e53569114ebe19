// Reads the mails the app wrote to <data dir>/outbox/*.eml (what it does
// while SMTP is not configured) and finds the link a mail asks to follow.
import fs from "node:fs";
import path from "node:path";

// decodeQuotedPrintable undoes the transfer encoding of a MIME part body.
function decodeQuotedPrintable(s) {
  const bytes = [];
  const text = s.replace(/=\r?\n/g, "");
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "=" && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

// parseMail returns {to, subject, text} of an .eml file: the headers and
// the decoded bodies of every part, joined.
export function parseMail(raw) {
  const header = (name) => (raw.match(new RegExp(`^${name}:\\s*(.*)$`, "mi")) || [])[1] || "";
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  const bodies = parts.map((part) => {
    const [head, ...rest] = part.split(/\r?\n\r?\n/);
    const body = rest.join("\n\n");
    if (/quoted-printable/i.test(head)) return decodeQuotedPrintable(body);
    if (/base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    return body;
  });
  return { to: header("To"), subject: header("Subject"), text: bodies.join("\n") };
}

// waitForLink polls the outbox for a mail to `to` whose link contains
// `pathPart` (e.g. "/verify-email?token="), not counting links in `seen`,
// and returns the link. Links are built from the app URL, so they point at
// the server under test.
export async function waitForLink(dataDir, to, pathPart, seen = new Set(), timeoutMs = 10_000) {
  const dir = path.join(dataDir, "outbox");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".eml")).sort() : [];
    for (const file of files) {
      const mail = parseMail(fs.readFileSync(path.join(dir, file), "utf8"));
      if (!mail.to.includes(to)) continue;
      for (const link of mail.text.match(/https?:\/\/[^\s"<>]+/g) || []) {
        const clean = link.replace(/&amp;/g, "&");
        if (clean.includes(pathPart) && !seen.has(clean)) return clean;
      }
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${to} with a ${pathPart} link in ${dir} (${files.length} mails)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
