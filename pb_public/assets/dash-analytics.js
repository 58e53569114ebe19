// The dashboard's analytics: page views (and unique visitors) and link
// clicks of the public page over a chosen period, per day (SVG chart), by
// device, browser and campaign (labelled bars), per link and per referrer.
// A breakdown the server does not send is left out.
import { api, messageOf, setStatus } from "/assets/api.js";
import { el } from "/assets/dom.js";
import { plural } from "/assets/messages.js";
import { drawDailyChart } from "/assets/chart.js";

const $ = (id) => document.getElementById(id);

const names = {
  mobile: "Phones", tablet: "Tablets", desktop: "Computers",
  chrome: "Chrome", safari: "Safari", firefox: "Firefox", edge: "Edge", opera: "Opera", samsung: "Samsung Internet", other: "Other",
};

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
  $("analytics-totals").replaceChildren(...[
    stat("views", "Page views", a.views),
    a.unique_views === undefined ? null : stat("unique_views", "Unique visitors", a.unique_views),
    stat("clicks", "Link clicks", a.clicks),
    stat("ctr", "Click rate", `${Math.round((a.ctr || 0) * 1000) / 10}%`),
  ].filter(Boolean));
  drawDailyChart($("analytics-chart"), a.daily || [], { key: "views", label: "Views" }, { key: "clicks", label: "Clicks" });
  bars("analytics-devices", a.devices, "No views yet.");
  bars("analytics-browsers", a.browsers, "No views yet.");
  bars("analytics-utm", a.utm_sources, "No visits from links tagged with utm_source yet.");
  rows($("analytics-links"), a.links, (l) => [l.title, l.clicks], "No links yet.");
  rows($("analytics-referrers"), a.top_referrers, (r) => [r.host, r.views], "No referring sites yet.");
}

function stat(key, label, value) {
  return el("div", { "data-stat": key }, el("dt", {}, label), el("dd", {}, String(value ?? 0)));
}

// entries reads a breakdown sent as {name: views} or as a list of
// {source|browser|device|name, views}, largest first.
function entries(data) {
  const list = Array.isArray(data)
    ? data.map((d) => [d.source ?? d.browser ?? d.device ?? d.name ?? "", d.views ?? 0])
    : Object.entries(data);
  return list.filter(([, n]) => n > 0).sort((x, y) => y[1] - x[1]);
}

// bars draws a breakdown as labelled bars, each with its count and share;
// the card stays hidden when the server sends no such breakdown.
function bars(id, data, empty) {
  const card = $(id + "-card");
  card.hidden = data === undefined || data === null;
  if (card.hidden) return;
  const list = entries(data);
  const total = list.reduce((n, [, v]) => n + v, 0);
  $(id).replaceChildren(...(list.length ? list.map(([name, n]) => {
    const share = Math.round((n / total) * 100);
    const fill = el("span", { class: "fill" });
    fill.style.width = `${(n / list[0][1]) * 100}%`;
    return el("li", { "data-name": name },
      el("span", {}, names[name] || name),
      el("span", { class: "track", "aria-hidden": "true" }, fill),
      el("span", { class: "num" }, `${plural(n, "view")} (${share}%)`));
  }) : [el("li", { class: "muted" }, empty)]));
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
