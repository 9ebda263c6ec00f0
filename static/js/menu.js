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
