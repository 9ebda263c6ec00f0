/*
 * A dossier page shown again from the browser's back-forward cache (the candidate wrote in a
 * compétence, then pressed "Back") would show the counters of before: ask them again, as after
 * an autosave (templates/dossiers/_live_progress.html listens for "dossier:saved").
 */
(function () {
  "use strict";
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.body) {
      document.body.dispatchEvent(new CustomEvent("dossier:saved"));
    }
  });
})();
