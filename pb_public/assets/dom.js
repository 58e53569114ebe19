// A small DOM builder for the dashboard: every user-supplied value goes in
// as text (never as HTML), so nothing a user types can become markup.

// el creates an element; attrs are set as attributes (false and null
// skipped, true as an empty attribute) except "on*" functions, which
// become listeners; children are nodes or strings.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

// formatDate shows an API timestamp ("2026-11-24 14:18:44.000Z" or RFC
// 3339) as a local date, or "" for none.
export function formatDate(value, withTime = false) {
  const d = parseDate(value);
  if (!d) return "";
  return withTime ? d.toLocaleString() : d.toLocaleDateString();
}

// parseDate reads PocketBase's and RFC 3339 timestamps; null for empty.
export function parseDate(value) {
  if (!value) return null;
  const d = new Date(String(value).replace(" ", "T"));
  return Number.isNaN(d.getTime()) ? null : d;
}

// toLocalInput formats a timestamp for an <input type=datetime-local>.
export function toLocalInput(value) {
  const d = parseDate(value);
  if (!d) return "";
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// fromLocalInput turns a datetime-local value into UTC RFC 3339, or "".
export function fromLocalInput(value) {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString();
}
