// The theme rules of linkbio/contrast.go, for the dashboard's live
// preview: the page's colours as the server will draw them, and which pair
// is too faint before anything is saved. The server stays the judge;
// e2e/tests/theme.test.js holds this file to the Go rules through the
// cases in linkbio/testdata/theme-resolve.json.

export const minContrast = 4.5;

export const defaultTheme = Object.freeze({
  background: "#f8fafc", text: "#0f172a", button: "#0f172a", button_text: "#f8fafc", accent: "#2563eb",
  button_style: "rounded", font: "system",
});

export const colourKeys = ["background", "text", "button", "button_text", "accent"];

// Candidates for a colour left unset, in the order the server tries them.
const candidates = {
  background: ["#f8fafc", "#0f172a", "#ffffff", "#000000"],
  text: ["#0f172a", "#f8fafc", "#000000", "#ffffff"],
  button: ["#0f172a", "#f8fafc", "#000000", "#ffffff"],
  button_text: ["#f8fafc", "#0f172a", "#ffffff", "#000000"],
  accent: ["#2563eb", "#93c5fd", "#1e3a8a", "#0f172a", "#f8fafc", "#000000", "#ffffff"],
};

// pairs lists what the public page draws on what, as Theme.Pairs does.
export function pairs(t) {
  return [
    { name: "Text on the background", fg: t.text, bg: t.background },
    { name: "The accent on the background", fg: t.accent, bg: t.background },
    { name: "Button text on the buttons", fg: t.button_text, bg: t.button },
    { name: "The buttons on the background", fg: t.button, bg: t.background },
  ];
}

function channel(c) {
  const v = c / 255;
  return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

function luminance(colour) {
  let hex = String(colour || "").replace(/^#/, "");
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join("");
  const v = /^[0-9a-f]{6}$/i.test(hex) ? parseInt(hex, 16) : 0;
  return 0.2126 * channel((v >> 16) & 255) + 0.7152 * channel((v >> 8) & 255) + 0.0722 * channel(v & 255);
}

// contrast is the WCAG 2.1 contrast ratio of two colours (1 to 21).
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// resolveTheme fills the unset colours as the server does. It returns
// {theme} when the page is readable, else {problem: {name, ratio}} naming
// the first set pair that is too faint (ratio 0 when no choice of the
// unset colours can make every pair readable).
export function resolveTheme(given) {
  const t = {};
  for (const key of colourKeys) t[key] = given[key] || "";
  const readable = () => pairs(t).every((p) => !p.fg || !p.bg || contrast(p.fg, p.bg) >= minContrast);
  const choose = (i) => {
    if (i === colourKeys.length) return true;
    const key = colourKeys[i];
    const set = t[key];
    for (const c of set ? [set] : candidates[key]) {
      t[key] = c;
      if (readable() && choose(i + 1)) return true;
    }
    t[key] = set;
    return false;
  };
  if (!choose(0)) {
    const faint = pairs(given).find((p) => p.fg && p.bg && contrast(p.fg, p.bg) < minContrast);
    return { problem: faint ? { name: faint.name, ratio: contrast(faint.fg, faint.bg) } : { name: "", ratio: 0 } };
  }
  return {
    theme: { ...t, button_style: given.button_style || defaultTheme.button_style, font: given.font || defaultTheme.font },
  };
}
