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
