// Slot picker (bookings/slot_picker.html, bookings/reschedule.html).
// 1. Signed-out visitors: when the URL has no "tz", ask the browser for its IANA zone and, if the
//    server guessed another one, reload once with ?tz=<zone> so times show in the visitor's zone.
// 2. While htmx loads another week or interviewer into #slots, mark it aria-busy; if the request
//    fails, show the "Couldn't load the times" message with a plain link to retry.
(function () {
  "use strict";

  var root = document.querySelector("[data-needs-tz]");
  if (root) {
    var params = new URLSearchParams(window.location.search);
    if (!params.has("tz")) {
      var zone = "";
      try {
        zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
      } catch (error) {
        zone = "";
      }
      if (zone && zone !== root.getAttribute("data-viewer-timezone")) {
        params.set("tz", zone);
        window.location.replace(window.location.pathname + "?" + params.toString() + window.location.hash);
        return;
      }
    }
  }

  function isSlots(event) {
    var target = event.detail && event.detail.target;
    return target && target.id === "slots" ? target : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = isSlots(event);
    if (!target) return;
    target.setAttribute("aria-busy", "true");
    var error = document.getElementById("slots-error");
    if (error) error.hidden = true;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var target = isSlots(event);
    if (!target) return;
    target.removeAttribute("aria-busy");
    if (event.detail.successful) return;
    var error = document.getElementById("slots-error");
    var retry = document.getElementById("slots-retry");
    var info = event.detail.pathInfo || {};
    var path = info.finalRequestPath || info.requestPath;
    if (retry && path) retry.setAttribute("href", path);
    if (error) error.hidden = false;
  });
})();
