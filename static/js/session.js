// Warns five minutes before the session ends; any request to the server (a page, an autosave,
// the "Rester connecté" button) restarts the countdown, as the server's sliding expiry does.
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.dataset.sessionSeconds || "0", 10);
  if (!seconds) return;
  var warning = document.getElementById("session-warning");
  var expired = document.getElementById("session-expired");
  var warnTimer, endTimer;

  function restart() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warning.classList.add("d-none");
    expired.classList.add("d-none");
    warnTimer = setTimeout(function () { warning.classList.remove("d-none"); }, Math.max(0, seconds - 300) * 1000);
    endTimer = setTimeout(function () {
      warning.classList.add("d-none");
      expired.classList.remove("d-none");
    }, seconds * 1000);
  }

  document.getElementById("session-extend").addEventListener("click", function () {
    fetch(window.location.href, { method: "HEAD", credentials: "same-origin" }).then(restart);
  });
  document.addEventListener("htmx:afterRequest", restart);
  document.addEventListener("vae:server-contact", restart);
  restart();
})();
