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

  document.addEventListener("DOMContentLoaded", function () {
    syncBulk(document);
  });

  document.addEventListener("htmx:afterSettle", function () {
    syncBulk(document);
    syncLinks();
  });
})();
