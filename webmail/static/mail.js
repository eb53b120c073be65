// Live new-mail notice (issue 6: a little JS only to enhance; every page works without it).
// Listens to /messages/evenements (server-sent events) and updates the unread badge of the menu;
// on a new message in "Reçus", shows the notice already in the page (role="status", so screen
// readers announce it). No inline script: the CSP forbids it.
(function () {
  "use strict";
  if (!window.EventSource) { return; }
  var notice = document.getElementById("nouveaux-messages");
  var source = new EventSource("/messages/evenements");
  source.addEventListener("messages", function (e) {
    var data;
    try { data = JSON.parse(e.data); } catch (err) { return; }
    var link = document.getElementById("nav-messages");
    if (link) {
      var badge = link.querySelector(".badge");
      if (data.non_lus > 0) {
        if (!badge) {
          badge = document.createElement("span");
          badge.className = "badge";
          link.appendChild(document.createTextNode(" "));
          link.appendChild(badge);
        }
        badge.textContent = String(data.non_lus);
        badge.setAttribute("aria-label", data.non_lus + " non lus");
      } else if (badge) {
        badge.remove();
      }
    }
    if (data.nouveau && notice) { notice.hidden = false; }
  });
})();
