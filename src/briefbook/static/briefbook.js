/* briefbook: preview cards of entity mentions and citations. Shipped with the book; no network, no inline script.
 * Hover and keyboard focus are handled by CSS alone; this adds touch (tap to open, tap
 * again to follow the link), Escape to close, and aria-describedby for screen readers. */
(function () {
  "use strict";
  function closeAll(except) {
    document.querySelectorAll(".bb-mention.bb-open, .bb-source.bb-open").forEach(function (m) {
      if (m !== except) { m.classList.remove("bb-open"); }
    });
  }
  function init() {
    document.querySelectorAll(".bb-mention, .bb-source").forEach(function (mention) {
      var link = mention.querySelector("a");
      var card = mention.querySelector(".bb-card");
      if (!link || !card) { return; }
      if (card.id) { link.setAttribute("aria-describedby", card.id); }
      link.addEventListener("touchend", function (event) {
        if (!mention.classList.contains("bb-open")) {
          event.preventDefault();
          closeAll(mention);
          mention.classList.add("bb-open");
        }
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        closeAll(null);
        if (document.activeElement && document.activeElement.closest(".bb-mention, .bb-source")) {
          document.activeElement.blur();
        }
      }
    });
    document.addEventListener("touchstart", function (event) {
      if (!event.target.closest || !event.target.closest(".bb-mention, .bb-source")) { closeAll(null); }
    }, { passive: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/* Filter boxes above entity card grids: show the cards whose names, aliases or native
 * names contain every word typed (case- and accent-insensitive). */
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function init() {
    document.querySelectorAll("input[data-bb-filter]").forEach(function (input) {
      var grid = document.getElementById(input.getAttribute("data-bb-filter"));
      if (!grid) { return; }
      var count = input.parentNode.querySelector(".bb-filter-count");
      var cells = Array.prototype.slice.call(grid.querySelectorAll(".sd-col"));
      var terms = cells.map(function (cell) {
        var hidden = cell.querySelector(".bb-filter-terms");
        return fold((hidden ? hidden.textContent : "") + " " + cell.textContent);
      });
      function apply() {
        var words = fold(input.value).split(/\s+/).filter(Boolean);
        var shown = 0;
        cells.forEach(function (cell, i) {
          var match = words.every(function (w) { return terms[i].indexOf(w) !== -1; });
          cell.hidden = !match;
          if (match) { shown += 1; }
        });
        if (count) { count.textContent = words.length ? shown + " of " + cells.length : ""; }
      }
      input.addEventListener("input", apply);
      apply();
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
