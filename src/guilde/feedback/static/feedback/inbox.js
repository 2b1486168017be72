// Triage inbox: select-all, the bulk action's extra field, and links that follow the filters.
(function () {
  function syncBulk(root) {
    const form = root.querySelector ? root.querySelector("#bulk-form") : null;
    if (!form) return;
    const action = form.querySelector("[name=action]");
    form.querySelectorAll("[data-bulk-for]").forEach(function (el) {
      el.hidden = !action || el.dataset.bulkFor !== action.value;
    });
    const count = document.querySelectorAll("[data-row-check]:checked").length;
    const label = form.querySelector("[data-bulk-count]");
    if (label) label.textContent = count ? count + " ✓" : "";
  }

  function syncLinks() {
    const results = document.getElementById("inbox-results");
    if (!results) return;
    const query = results.dataset.query || "";
    const exportLink = document.getElementById("export-link");
    if (exportLink) {
      exportLink.href = exportLink.href.split("?")[0] + (query ? "?" + query : "");
    }
    const saveQuery = document.getElementById("save-view-query");
    if (saveQuery) saveQuery.value = query;
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-select-all]")) {
      document.querySelectorAll("[data-row-check]").forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
    syncBulk(document);
  });

  // Keyboard triage: j / k move between rows, x selects the focused row, / goes to the search.
  function isTyping(target) {
    return target.closest("input, select, textarea, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    const links = Array.from(document.querySelectorAll("#inbox-results [data-row-link]"));
    if (event.key === "/") {
      const search = document.querySelector("#inbox-filters input[type=search], #inbox-filters input[name=q]");
      if (search) {
        event.preventDefault();
        search.focus();
      }
      return;
    }
    if (!links.length) return;
    const current = links.indexOf(document.activeElement);
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      const step = event.key === "j" ? 1 : -1;
      const next = current === -1 ? 0 : Math.min(links.length - 1, Math.max(0, current + step));
      links[next].focus();
      links[next].scrollIntoView({ block: "nearest" });
    } else if (event.key === "x" && current !== -1) {
      event.preventDefault();
      const box = links[current].closest("tr").querySelector("[data-row-check]");
      if (box) {
        box.checked = !box.checked;
        syncBulk(document);
      }
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    syncBulk(document);
  });

  document.addEventListener("htmx:afterSettle", function () {
    syncBulk(document);
    syncLinks();
  });
})();
