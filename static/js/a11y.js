// The main menu is a <details> element, open in the HTML so that it works without JavaScript.
// On a phone (below Bootstrap's md breakpoint) it starts closed; from 768 px it is always open
// (its « Menu » button is hidden there by static/css/app.css).
(function () {
  "use strict";
  var menu = document.querySelector(".site-menu");
  if (!menu) return;
  var wide = window.matchMedia("(min-width: 768px)");
  function sync() { menu.open = wide.matches; }
  sync();
  wide.addEventListener("change", sync);
})();

// A form sent back with errors: move the focus to its error summary (templates/bootstrap5/errors.html),
// so that a screen reader announces it and the keyboard starts from the links to the fields.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();

// Phone width: a table wider than the screen scrolls inside its own box (not the whole page);
// a box that scrolls can be reached with the keyboard and is named for screen readers.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function wrap(root) {
    root.querySelectorAll("main table").forEach(function (table) {
      if (table.closest(".table-responsive")) return;
      var box = document.createElement("div");
      box.className = "table-responsive";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    sync();
  }
  function sync() {
    document.querySelectorAll("main .table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        var caption = box.querySelector("caption");
        box.setAttribute("aria-label", (caption ? caption.textContent.trim() + " — " : "") + "tableau à faire défiler horizontalement");
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  wrap(document);
  window.addEventListener("resize", sync);
  document.addEventListener("htmx:afterSwap", function (event) { wrap(event.target); });
})();
