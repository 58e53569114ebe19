// The live preview of the public page in the dashboard: drawn from what is
// being edited (saved or not), with the same structure and classes as the
// public page's look (.pv in app.css) and the theme resolved as the server
// will draw it (theme.js). Nothing in it is a real link.
import { el, parseDate } from "/assets/dom.js";
import { resolveTheme, defaultTheme, colourKeys } from "/assets/theme.js";
import { icon, labelOf } from "/assets/platforms.js";

const cssVar = { background: "--pv-bg", text: "--pv-fg", button: "--pv-btn", button_text: "--pv-btn-fg", accent: "--pv-accent" };

// visible reports whether the public page shows a block now: enabled and
// inside its schedule (linkbio.Schedule.VisibleAt).
export function visible(block, now = new Date()) {
  if (!block.enabled) return false;
  const from = parseDate(block.starts_at), until = parseDate(block.ends_at);
  return !(from && from > now) && !(until && until <= now);
}

// renderPreview draws state = {username, displayName, bio, avatarURL,
// theme, socials, blocks} into container.
export function renderPreview(container, state) {
  const { theme: resolved } = resolveTheme(state.theme || {});
  const theme = resolved || { ...defaultTheme, button_style: state.theme?.button_style || "rounded", font: state.theme?.font || "system" };
  const page = el("div", { class: "pv", "data-button-style": theme.button_style, "data-font": theme.font });
  for (const key of colourKeys) page.style.setProperty(cssVar[key], theme[key]);

  const name = state.displayName || state.username || "";
  page.append(state.avatarURL
    ? el("img", { class: "pv-avatar", src: state.avatarURL, alt: "" })
    : el("div", { class: "pv-initial", "aria-hidden": "true" }, name.charAt(0).toUpperCase()));
  page.append(el("p", { class: "pv-name" }, el("strong", {}, name)), el("p", { class: "pv-username" }, "@" + (state.username || "")));
  if (state.bio) page.append(el("p", { class: "pv-bio" }, state.bio));

  const socials = (state.socials || []).filter((s) => s.platform && s.url);
  if (socials.length) {
    page.append(el("ul", { class: "pv-socials", "aria-label": "Social icons" },
      socials.map((s) => el("li", {}, el("span", { role: "img", "aria-label": labelOf(s.platform) }, icon(s.platform))))));
  }

  const blocks = (state.blocks || []).filter((b) => visible(b));
  if (!blocks.length) {
    page.append(el("p", { class: "pv-empty" }, "Your links will show here."));
  } else {
    page.append(el("ul", { class: "pv-blocks" }, blocks.map((b) => el("li", { "data-id": b.id },
      b.kind === "header" ? el("p", { class: "pv-header" }, b.title) : el("span", { class: "pv-link" }, b.title)))));
  }
  container.replaceChildren(page);
}
