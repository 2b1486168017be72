// Roadmap: "Show 20 more" replaces itself with the next cards, so the button that had the focus is
// gone; the focus goes to the first new card (its title link), where reading and tabbing go on.
// The new cards are announced by guilde.js from the block's data-guilde-announce summary.
(function () {
  document.addEventListener("htmx:afterSettle", function (event) {
    const card = event.target;
    if (!(card instanceof Element) || !card.matches("[data-roadmap-first]")) return;
    card.removeAttribute("data-roadmap-first");
    const link = card.querySelector("a");
    (link || card).focus();
  });
})();
