// Runs in <head> so the page is painted in the right colour mode from the start.
(function () {
  const root = document.documentElement;
  if (root.dataset.bsTheme === "auto") {
    const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
    root.dataset.bsTheme = dark ? "dark" : "light";
    root.dataset.guildeAutoTheme = "1";
  }
})();
