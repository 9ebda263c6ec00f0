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
