// Copies the new API token to the clipboard (the page shows it only once).
(function () {
  document.querySelectorAll("[data-guilde-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      const input = document.getElementById(button.dataset.guildeCopy);
      const status = document.querySelector("[data-guilde-copy-status]");
      if (!input) {
        return;
      }
      input.select();
      const done = function () {
        if (status) {
          status.textContent = button.dataset.guildeCopied;
        }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          document.execCommand("copy");
          done();
        });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
})();
