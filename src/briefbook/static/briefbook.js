/* briefbook: entity preview cards. Shipped with the book; no network, no inline script.
 * Hover and keyboard focus are handled by CSS alone; this adds touch (tap to open, tap
 * again to follow the link), Escape to close, and aria-describedby for screen readers. */
(function () {
  "use strict";
  function closeAll(except) {
    document.querySelectorAll(".bb-mention.bb-open").forEach(function (m) {
      if (m !== except) { m.classList.remove("bb-open"); }
    });
  }
  function init() {
    document.querySelectorAll(".bb-mention").forEach(function (mention) {
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
        if (document.activeElement && document.activeElement.closest(".bb-mention")) {
          document.activeElement.blur();
        }
      }
    });
    document.addEventListener("touchstart", function (event) {
      if (!event.target.closest || !event.target.closest(".bb-mention")) { closeAll(null); }
    }, { passive: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
