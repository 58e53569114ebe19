// Daily bar charts drawn as SVG from the API's day lists (last_30_days of
// the referral stats, daily of the analytics). Two series share each day:
// "a" as a wide light bar, "b" as a narrow dark bar in front of it. Colours
// come from the stylesheet (classes), as the CSP allows no inline style.
import { el } from "/assets/dom.js";

const svgNS = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(svgNS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

// drawDailyChart replaces container's content with a chart of days, where
// a and b name the two series ({key, label}); a summary sentence is its
// accessible name, and each day's bar carries a tooltip with its figures.
// The chart is drawn at the container's width in CSS pixels (so its labels
// keep their size in a narrow card and on a phone) and a fixed height, and
// drawn again when that width changes (a window resized, or a chart drawn
// in a hidden tab being shown).
export function drawDailyChart(container, days, a, b) {
  charts.set(container, { days, a, b, width: container.clientWidth });
  if (!charts.observed.has(container)) {
    charts.observed.add(container);
    resizes.observe(container);
  }
  draw(container, days, a, b);
}

const charts = Object.assign(new WeakMap(), { observed: new WeakSet() });
const resizes = new ResizeObserver((entries) => {
  for (const { target } of entries) {
    const c = charts.get(target);
    if (c && target.clientWidth > 0 && target.clientWidth !== c.width) drawDailyChart(target, c.days, c.a, c.b);
  }
});

function draw(container, days, a, b) {
  const width = Math.max(240, Math.round(container.clientWidth || 600)), height = 160, left = 28, bottom = 20, top = 8;
  const max = Math.max(1, ...days.map((d) => Math.max(d[a.key] || 0, d[b.key] || 0)));
  const step = (width - left) / Math.max(days.length, 1);
  const plotH = height - bottom - top;
  const total = (key) => days.reduce((n, d) => n + (d[key] || 0), 0);
  const summary = `${a.label}: ${total(a.key)}, ${b.label}: ${total(b.key)} over ${days.length} days`;

  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "chart", role: "img", "aria-label": summary });
  chart.append(svg("title", {}, summary));
  chart.append(svg("line", { x1: left, y1: top + plotH, x2: width, y2: top + plotH, class: "axis" }));
  chart.append(svg("line", { x1: left, y1: top, x2: width, y2: top, class: "axis" }));
  chart.append(svg("text", { x: 0, y: top + 8 }, String(max)));
  chart.append(svg("text", { x: 0, y: top + plotH }, "0"));
  days.forEach((d, i) => {
    const x = left + i * step;
    const group = svg("g", { "data-date": d.date });
    group.append(svg("title", {}, `${d.date}: ${a.label} ${d[a.key] || 0}, ${b.label} ${d[b.key] || 0}`));
    const ha = ((d[a.key] || 0) / max) * plotH;
    const hb = ((d[b.key] || 0) / max) * plotH;
    group.append(svg("rect", { x: x + step * 0.1, y: top + plotH - ha, width: step * 0.8, height: ha, class: "bar-a" }));
    group.append(svg("rect", { x: x + step * 0.3, y: top + plotH - hb, width: step * 0.4, height: hb, class: "bar-b" }));
    chart.append(group);
  });
  if (days.length) {
    chart.append(svg("text", { x: left, y: height - 4 }, days[0].date));
    chart.append(svg("text", { x: width, y: height - 4, "text-anchor": "end" }, days[days.length - 1].date));
  }
  const legend = el("ul", { class: "legend" },
    el("li", {}, el("span", { class: "swatch a", "aria-hidden": "true" }), a.label),
    el("li", {}, el("span", { class: "swatch b", "aria-hidden": "true" }), b.label));
  container.replaceChildren(chart, legend);
}
