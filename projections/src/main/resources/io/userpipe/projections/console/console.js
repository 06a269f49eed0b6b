// The review console's one script. After a decision is sent, the case page shows it only once its
// event is in the log: this follows the case's status and reloads the page when the case moves past
// the version the decision was about. Without script the page says it waits, and a reload shows it.
(function () {
  "use strict";
  var box = document.getElementById("decision-status");
  if (!box || !box.dataset.user) {
    return;
  }
  var sent = Number(box.dataset.version);
  var url = "/console/users/" + encodeURIComponent(box.dataset.user) + "/status";
  var tries = 0;
  function look() {
    tries++;
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (r.status === 401) {
          window.location.assign("/console/sign-in?expired=1");
          return null;
        }
        return r.ok ? r.json() : null;
      })
      .then(function (status) {
        if (status && status.screening_version !== null && status.screening_version > sent) {
          window.location.assign(window.location.pathname);
        } else if (tries < 120) {
          setTimeout(look, 500);
        } else {
          box.textContent = "The decision's event has not come yet. Reload the page to look again.";
        }
      })
      .catch(function () {
        if (tries < 120) {
          setTimeout(look, 1000);
        }
      });
  }
  setTimeout(look, 300);
})();
