// The submission form: picking a customer account from the look-up list (no inline script: CSP).
(function () {

  function pick(button) {
    const hidden = document.getElementById("id_account");
    const search = document.getElementById("id_account_search");
    if (!hidden || !search) return;
    hidden.value = button.dataset.accountPick;
    search.value = button.dataset.accountName;
    search.setAttribute("aria-expanded", "false");
    document.getElementById("account-results").replaceChildren();
    // Refresh the quality score (and the account's facts, out of band) for the picked customer.
    if (window.htmx && hidden.form) {
      window.htmx.trigger(hidden.form, "change");
    }
    search.focus();
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-account-pick]");
    if (button) {
      event.preventDefault();
      pick(button);
    }
  });

  document.addEventListener("keydown", function (event) {
    const search = event.target.closest("#id_account_search");
    if (search && event.key === "ArrowDown") {
      const first = document.querySelector("#account-results [data-account-pick]");
      if (first) {
        event.preventDefault();
        first.focus();
      }
      return;
    }
    const option = event.target.closest("[data-account-pick]");
    if (!option) return;
    if (event.key === "ArrowDown" && option.nextElementSibling) {
      event.preventDefault();
      option.nextElementSibling.focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (option.previousElementSibling || document.getElementById("id_account_search")).focus();
    } else if (event.key === "Escape") {
      document.getElementById("account-results").replaceChildren();
    // Refresh the quality score (and the account's facts, out of band) for the picked customer.
    if (window.htmx && hidden.form) {
      window.htmx.trigger(hidden.form, "change");
    }
      document.getElementById("id_account_search").focus();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    const search = document.getElementById("id_account_search");
    if (!search) return;
    // The look-up text is not a field of the feedback: only picking an account refreshes the
    // score, so the form does not post half-typed names (and race the pick).
    search.addEventListener("change", function (event) {
      event.stopPropagation();
    });
    search.addEventListener("input", function (event) {
      event.stopPropagation();
      // Typing a new name forgets the account picked before.
      const hidden = document.getElementById("id_account");
      if (hidden && hidden.value) {
        hidden.value = "";
      }
    });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "account-results") {
      const search = document.getElementById("id_account_search");
      const open = !!event.detail.target.querySelector("[data-account-pick]");
      if (search) search.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });

})();
