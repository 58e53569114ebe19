// The dashboard's sections as ARIA tabs (WAI-ARIA Authoring Practices):
// one tab stop, arrow keys, Home and End move between tabs, and the
// address keeps the open tab (#analytics), so a reload or a shared link
// opens it again.

// initTabs wires the tablist; onShow(name) runs when a tab is shown.
export function initTabs(tablist, onShow = () => {}) {
  const tabs = [...tablist.querySelectorAll('[role="tab"]')];
  const nameOf = (tab) => tab.id.replace(/^tab-/, "");

  function show(tab, focus = false) {
    for (const t of tabs) {
      const selected = t === tab;
      t.setAttribute("aria-selected", String(selected));
      t.tabIndex = selected ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !selected;
    }
    if (focus) tab.focus();
    const hash = "#" + nameOf(tab);
    if (location.hash !== hash) history.replaceState(null, "", hash === "#page" ? location.pathname : hash);
    onShow(nameOf(tab));
  }

  tablist.addEventListener("click", (e) => {
    const tab = e.target.closest('[role="tab"]');
    if (tab) show(tab);
  });
  tablist.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    show(tabs[(next + tabs.length) % tabs.length], true);
  });

  const fromHash = () => tabs.find((t) => "#" + nameOf(t) === location.hash) || tabs[0];
  window.addEventListener("hashchange", () => show(fromHash()));
  show(fromHash());
  return { show: (name) => show(tabs.find((t) => nameOf(t) === name) || tabs[0]) };
}
