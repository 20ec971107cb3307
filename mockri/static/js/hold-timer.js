// Counts down the payment hold shown on the pay step ("held until 10:45 am: 12:31 left"). The
// time itself is in the page; this only adds the minutes and seconds left.
(function () {
  "use strict";
  var holder = document.querySelector("[data-hold-until]");
  if (!holder) return;
  var until = Date.parse(holder.dataset.holdUntil);
  var left = holder.querySelector("[data-hold-left]");
  if (isNaN(until) || !left) return;
  function tick() {
    var seconds = Math.max(0, Math.round((until - Date.now()) / 1000));
    var minutes = Math.floor(seconds / 60);
    left.textContent = seconds > 0
      ? minutes + ":" + String(seconds % 60).padStart(2, "0")
      : "no time";
    if (seconds > 0) window.setTimeout(tick, 1000);
  }
  holder.hidden = false;
  tick();
})();
