// The kanban: buttons move cards (keyboard first); dragging a card onto a column does the same.
(function () {
  function moveForms(card) {
    return card ? card.querySelectorAll("form[data-move]") : [];
  }

  function focusMoved(root) {
    const card = root.querySelector("[data-moved]");
    if (!card) return;
    const button = card.querySelector("form[data-move] button") || card.querySelector("a");
    if (button) button.focus();
  }

  function bind(root) {
    root.querySelectorAll(".kanban-card[draggable='true']").forEach(function (card) {
      card.addEventListener("dragstart", function (event) {
        event.dataTransfer.setData("text/plain", card.dataset.initiative);
        event.dataTransfer.effectAllowed = "move";
      });
    });
    root.querySelectorAll(".kanban-col[data-status]").forEach(function (column) {
      column.addEventListener("dragover", function (event) {
        if (!column.dataset.status) return;
        event.preventDefault();
        column.classList.add("is-drop-target");
      });
      column.addEventListener("dragleave", function () {
        column.classList.remove("is-drop-target");
      });
      column.addEventListener("drop", function (event) {
        event.preventDefault();
        column.classList.remove("is-drop-target");
        const id = event.dataTransfer.getData("text/plain");
        const card = root.querySelector(".kanban-card[data-initiative='" + id + "']");
        if (!card || !column.dataset.status) return;
        const form = moveForms(card)[0];
        if (!form) return;
        const values = { status: column.dataset.status, version: card.dataset.version };
        const pillar = form.querySelector("input[name='pillar']");
        if (pillar) values.pillar = pillar.value;
        window.htmx.ajax("POST", form.getAttribute("action"), { target: "#board", swap: "outerHTML", values: values });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    bind(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    const board = document.getElementById("board");
    if (board) {
      bind(board);
      focusMoved(board);
    }
  });
  // A refused move (409) still brings the board back with the reason.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
