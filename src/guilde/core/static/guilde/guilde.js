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
})();
