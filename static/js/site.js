// Agenda ATT: the site's only script of its own (the CSP allows no inline scripts).
// Panels marked data-open-wide start folded, so a phone sees results before filters; on a wide
// screen they open as a sidebar, also after htmx swaps new content in.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48.01rem)");
  function unfold(root) {
    if (!wide.matches || !root.querySelectorAll) return;
    root.querySelectorAll("details[data-open-wide]").forEach(function (panel) { panel.open = true; });
  }
  document.addEventListener("DOMContentLoaded", function () { unfold(document); });
  document.addEventListener("htmx:load", function (event) { unfold(event.target); });
})();
