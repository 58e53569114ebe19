// The dashboard: loads the logged-in user (or sends them to /login), then
// each panel loads on its own, so one failing endpoint leaves the others
// working.
import { api, messageOf, setStatus } from "/assets/api.js";
import { initReferrals } from "/assets/dash-referrals.js";
import { initProfile } from "/assets/dash-profile.js";
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

// showMe fills in what the header and banner show of the user; the panels
// call it again after a change (profile saved, new referral code).
function showMe(me) {
  document.getElementById("greeting").textContent = `Hi, ${me.display_name || me.username}`;
  document.getElementById("whoami").textContent = "@" + me.username;
  const pageLink = document.getElementById("public-page-link");
  pageLink.href = "/" + encodeURIComponent(me.username);
  pageLink.hidden = false;
  document.getElementById("verify-banner").hidden = me.verified;
  document.getElementById("credits-balance").textContent = String(me.credits);
  document.getElementById("account-email").textContent = me.email;
  const verified = document.getElementById("account-verified");
  verified.textContent = me.verified ? "verified" : "not verified";
  verified.className = "badge " + (me.verified ? "successful" : "pending");
  const pageURL = new URL("/" + encodeURIComponent(me.username), location.origin).href;
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
  const ctx = { me, showMe: (m) => { ctx.me = m; showMe(m); } };
  showMe(me);
  initReferrals(ctx);
  initProfile(ctx);
  initLinks(ctx);
  initAnalytics(ctx);
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
