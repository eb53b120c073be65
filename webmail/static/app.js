// Small enhancements only: every page works without JavaScript (issue 6).
// Loaded from /static/ (the Content-Security-Policy forbids inline script).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // The profile switcher changes profile as soon as another one is chosen.
  var select = document.getElementById("profil-choix");
  var form = document.getElementById("form-profil");
  if (select && form) {
    select.addEventListener("change", function () { form.submit(); });
  }
  // Move the keyboard focus to the first error so screen readers announce it.
  var error = document.getElementById("erreur");
  if (error) {
    error.setAttribute("tabindex", "-1");
    error.focus();
  }
});

// The installable app (issue 9): the service worker stores only static assets and an offline
// page, never a page of the citizen (see /sw.js). Without it everything works the same.
if ("serviceWorker" in navigator && window.isSecureContext) {
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      // Not installable here (private browsing, old browser): nothing to tell the citizen.
    });
  });
}
