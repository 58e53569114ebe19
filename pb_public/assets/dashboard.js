// The dashboard: loads the logged-in user (or sends them to /login), then
// each panel loads on its own, so one failing endpoint leaves the others
// working. The page editor's panels share one preview state and redraw
// the live preview whenever any of them changes it.
import { api, messageOf, setStatus } from "/assets/api.js";
import { plural } from "/assets/messages.js";
import { initTabs } from "/assets/tabs.js";
import { renderPreview } from "/assets/preview.js";
import { initReferrals } from "/assets/dash-referrals.js";
import { initProfile } from "/assets/dash-profile.js";
import { initSocials } from "/assets/dash-socials.js";
import { initLinks } from "/assets/dash-links.js";
import { initAnalytics } from "/assets/dash-analytics.js";

const main = document.getElementById("main");
const pageStatus = document.getElementById("page-status");

const res = await api("GET", "/api/me");
if (res.status === 401) {
  location.replace("/login?next=" + encodeURIComponent(location.pathname));
} else if (!res.ok) {
  setStatus(pageStatus, messageOf(res, "Could not load your account."), "bad");
} else {
  start(res.body);
}

// showMe fills in what the header, banner and account panel show of the
// user; the panels call it again after a change (profile, new code).
function showMe(me) {
  document.getElementById("greeting").textContent = `Hi, ${me.display_name || me.username}`;
  document.getElementById("whoami").textContent = "@" + me.username;
  const pagePath = "/" + encodeURIComponent(me.username);
  for (const id of ["public-page-link", "preview-open"]) {
    const link = document.getElementById(id);
    link.href = pagePath;
    link.hidden = false;
  }
  document.getElementById("verify-banner").hidden = me.verified;
  document.getElementById("credits-balance").textContent = plural(me.credits, "credit");
  document.getElementById("account-email").textContent = me.email;
  const verified = document.getElementById("account-verified");
  verified.textContent = me.verified ? "verified" : "not verified";
  verified.className = "badge " + (me.verified ? "successful" : "pending");
  const pageURL = new URL(pagePath, location.origin).href;
  const profileLink = document.getElementById("profile-url");
  profileLink.href = pageURL;
  profileLink.textContent = pageURL;
  const qr = document.getElementById("profile-qr");
  const qrURL = `/api/profiles/${encodeURIComponent(me.username)}/qr.png`;
  qr.onload = () => { qr.hidden = false; document.getElementById("profile-qr-download").hidden = false; };
  qr.src = qrURL;
  document.getElementById("profile-qr-download").href = qrURL;
}

function start(me) {
  const previewBox = document.getElementById("preview");
  const preview = {
    username: me.username, displayName: me.display_name, bio: me.bio, avatarURL: me.avatar_url,
    theme: me.theme && typeof me.theme === "object" ? me.theme : {}, socials: [], blocks: [],
  };
  const ctx = {
    me,
    showMe: (m) => { ctx.me = m; showMe(m); },
    // updatePreview merges part of the page's state and redraws it.
    updatePreview: (part) => { Object.assign(preview, part); renderPreview(previewBox, preview); },
  };
  showMe(me);
  ctx.updatePreview({});
  initTabs(document.querySelector('[role="tablist"]'));
  initLinks(ctx);
  initSocials(ctx);
  initProfile(ctx);
  initAnalytics(ctx);
  initReferrals(ctx);
  main.setAttribute("aria-busy", "false");

  document.getElementById("logout").addEventListener("click", async () => {
    const out = await api("POST", "/api/logout", {});
    if (out.ok) location.assign("/login");
    else setStatus(pageStatus, messageOf(out, "Could not log out."), "bad");
  });

  document.getElementById("logout-everywhere").addEventListener("click", async () => {
    if (!confirm("Log out on every device, this one included?")) return;
    const out = await api("POST", "/api/logout", { everywhere: true });
    if (out.ok) location.assign("/login");
    else setStatus(document.getElementById("account-status"), messageOf(out, "Could not log out."), "bad");
  });

  const verifyStatus = document.getElementById("verify-status");
  document.getElementById("resend-verification").addEventListener("click", async (event) => {
    event.target.disabled = true;
    const out = await api("POST", "/api/request-verification", { email: ctx.me.email });
    verifyStatus.textContent = out.ok ? "Sent. Check your inbox." : messageOf(out);
    event.target.disabled = out.ok;
  });
}
