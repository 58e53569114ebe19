// The dashboard's analytics: page views and link clicks of the public page
// over a chosen period, per day (SVG chart), per link and per referrer.
import { api, messageOf, setStatus } from "/assets/api.js";
import { el } from "/assets/dom.js";
import { drawDailyChart } from "/assets/chart.js";

const $ = (id) => document.getElementById(id);

export function initAnalytics() {
  const days = $("analytics-days");
  days.addEventListener("change", () => load(days.value));
  load(days.value);
}

// load is exported for the link editor's sake: a click or a new link
// changes the figures.
export async function load(days = $("analytics-days").value) {
  const res = await api("GET", "/api/analytics?days=" + encodeURIComponent(days));
  if (!res.ok) {
    setStatus($("analytics-status"), messageOf(res, "Analytics are not available."), "bad");
    return;
  }
  setStatus($("analytics-status"), "");
  const a = res.body;
  $("analytics-totals").replaceChildren(
    stat("views", "Page views", a.views), stat("clicks", "Link clicks", a.clicks),
    stat("ctr", "Click rate", `${Math.round((a.ctr || 0) * 1000) / 10}%`));
  drawDailyChart($("analytics-chart"), a.daily || [], { key: "views", label: "Views" }, { key: "clicks", label: "Clicks" });
  rows($("analytics-links"), a.links, (l) => [l.title, l.clicks], "No links yet.");
  rows($("analytics-referrers"), a.top_referrers, (r) => [r.host, r.views], "No referring sites yet.");
}

function stat(key, label, value) {
  return el("div", { "data-stat": key }, el("dt", {}, label), el("dd", {}, String(value)));
}

function rows(table, items, cells, empty) {
  const body = table.tBodies[0];
  if (!items?.length) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 2, class: "muted" }, empty)));
    return;
  }
  body.replaceChildren(...items.map((item) => {
    const [name, n] = cells(item);
    return el("tr", {}, el("td", {}, name), el("td", { class: "num" }, String(n)));
  }));
}
