// Fills hidden "timezone" inputs with the browser's IANA time zone (e.g. "Asia/Kolkata"), so a
// new account shows times in the person's own zone from the start. Without JavaScript the
// server falls back to Asia/Kolkata, and the zone can be changed in the profile.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;
  document.querySelectorAll('input[type="hidden"][name="timezone"]').forEach(function (input) {
    if (!input.value) input.value = zone;
  });
})();
