// The dashboard's referral panels: the link with copy, QR and a new code;
// the stats with their 30-day chart; the referred users; the rewards.
import { api, messageOf, setStatus } from "/assets/api.js";
import { el, formatDate } from "/assets/dom.js";
import { drawDailyChart } from "/assets/chart.js";
import { plural } from "/assets/messages.js";

const $ = (id) => document.getElementById(id);
const perPage = 10;

export function initReferrals(ctx) {
  showLink(ctx.me);
  $("copy-referral").addEventListener("click", () => copyLink());
  $("regenerate-code").addEventListener("click", () => regenerate(ctx));
  loadStats();
  const list = { page: 1, status: "" };
  $("referral-status-filter").addEventListener("change", (e) => { list.status = e.target.value; list.page = 1; loadReferrals(list); });
  $("referrals-prev").addEventListener("click", () => { list.page--; loadReferrals(list); });
  $("referrals-next").addEventListener("click", () => { list.page++; loadReferrals(list); });
  loadReferrals(list);
  loadRewards();
}

function showLink(me) {
  $("referral-link").value = me.referral_link;
  $("referral-code").textContent = me.referral_code;
  // The QR image names the code, so a new code loads a new picture.
  const qr = $("referral-qr");
  const src = "/api/referral-code/qr.png?code=" + encodeURIComponent(me.referral_code);
  qr.onerror = () => { qr.hidden = true; $("referral-qr-download").hidden = true; };
  qr.onload = () => { qr.hidden = false; $("referral-qr-download").hidden = false; };
  qr.src = src;
  $("referral-qr-download").href = src;
}

async function copyLink() {
  const input = $("referral-link");
  const status = $("copy-status");
  try {
    await navigator.clipboard.writeText(input.value);
    status.textContent = "Copied to the clipboard.";
  } catch {
    // No clipboard permission (e.g. not https): select it for Ctrl+C.
    input.focus();
    input.select();
    status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected link.";
  }
}

async function regenerate(ctx) {
  if (!confirm("Get a new referral code? Your current link will stop working.")) return;
  const res = await api("POST", "/api/referral-code/regenerate", {});
  if (!res.ok) {
    $("copy-status").textContent = messageOf(res, "Could not make a new code.");
    return;
  }
  ctx.showMe(res.body);
  showLink(res.body);
  $("copy-status").textContent = "Your new link is ready.";
  loadStats();
}

const statLabels = [
  ["visits", "Visits"], ["signups", "Sign-ups"], ["successful", "Successful"], ["pending", "Pending"],
  ["expired", "Expired"], ["rejected", "Rejected"], ["conversion_rate", "Conversion"], ["credits_earned", "Credits earned"],
];

async function loadStats() {
  const res = await api("GET", "/api/referral-stats");
  if (!res.ok) {
    setStatus($("stats-status"), messageOf(res, "Referral stats are not available."), "bad");
    return;
  }
  setStatus($("stats-status"), "");
  const s = res.body;
  $("stats").replaceChildren(...statLabels.map(([key, label]) => el("div", { "data-stat": key },
    el("dt", {}, label),
    el("dd", {}, key === "conversion_rate" ? `${Math.round((s[key] || 0) * 1000) / 10}%` : String(s[key] ?? 0)))));
  const m = s.next_milestone;
  $("milestone").textContent = m ? `Next bonus: ${plural(m.reward, "credit")} at ${plural(m.successful, "successful referral")}.` : "";
  drawDailyChart($("referral-chart"), s.last_30_days || [], { key: "visits", label: "Visits" }, { key: "signups", label: "Sign-ups" });
}

async function loadReferrals(list) {
  const q = new URLSearchParams({ page: list.page, per_page: perPage });
  if (list.status) q.set("status", list.status);
  const res = await api("GET", "/api/referrals?" + q);
  const body = $("referrals-table").tBodies[0];
  if (!res.ok) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 3 }, messageOf(res, "Referrals are not available."))));
    return;
  }
  const r = res.body;
  body.replaceChildren(...r.items.map((item) => el("tr", {},
    el("td", {}, item.username || "(deleted user)"),
    el("td", {}, el("span", { class: "badge " + item.status }, item.status)),
    el("td", {}, formatDate(item.date_referred)))));
  $("referrals-empty").hidden = r.total_items > 0;
  $("referrals-page").textContent = r.total_pages > 1 ? `Page ${r.page} of ${r.total_pages}` : "";
  $("referrals-prev").hidden = r.page <= 1;
  $("referrals-next").hidden = r.page >= r.total_pages;
}

// The rewards ledger is read through PocketBase's collection API, whose
// rules show a user only their own rows.
async function loadRewards() {
  const res = await api("GET", "/api/collections/rewards/records?sort=-created&perPage=50");
  const body = $("rewards-table").tBodies[0];
  if (!res.ok) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 3 }, messageOf(res, "Rewards are not available."))));
    return;
  }
  body.replaceChildren(...res.body.items.map((r) => el("tr", {},
    el("td", {}, formatDate(r.created)),
    el("td", {}, r.reason || r.kind),
    el("td", { class: "num" }, (r.amount > 0 ? "+" : "") + r.amount))));
  $("rewards-empty").hidden = res.body.items.length > 0;
}
