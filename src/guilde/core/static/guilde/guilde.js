// Guilde's small behaviours. No inline script anywhere: the content security policy forbids it.
(function () {
  function showToasts(root) {
    root.querySelectorAll("[data-guilde-toast]").forEach(function (el) {
      bootstrap.Toast.getOrCreateInstance(el, { delay: 6000 }).show();
    });
  }

  function getCookie(name) {
    const match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    showToasts(document);

    document.querySelectorAll("[data-guilde-theme-toggle]").forEach(function (button) {
      button.addEventListener("click", function () {
        const root = document.documentElement;
        const next = root.dataset.bsTheme === "dark" ? "light" : "dark";
        root.dataset.bsTheme = next;
        const body = new URLSearchParams({ theme: next });
        fetch("/accounts/theme/", {
          method: "POST",
          headers: { "X-CSRFToken": getCookie("csrftoken") },
          body: body,
        });
      });
    });

    // A confirmation for destructive buttons: data-guilde-confirm="What will be lost".
    document.addEventListener("submit", function (event) {
      const message = event.submitter && event.submitter.dataset.guildeConfirm;
      if (message && !window.confirm(message)) {
        event.preventDefault();
      }
    });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    showToasts(event.detail.target);
  });

  // A live region that htmx replaces is announced by no screen reader, so the swapped-in part
  // names its summary with data-guilde-announce ("12 people") and it is read from one region that stays.
  document.addEventListener("htmx:afterSettle", function (event) {
    const root = event.target;
    const announcer = document.getElementById("guilde-announcer");
    if (!announcer || !(root instanceof Element)) {
      return;
    }
    const summary = root.matches("[data-guilde-announce]") ? root : root.querySelector("[data-guilde-announce]");
    if (summary) {
      announcer.textContent = summary.textContent.replace(/\s+/g, " ").trim();
    }
  });
})();
