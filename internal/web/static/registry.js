// Registry pages. The code page counts down to the next code (the page
// reloads itself through the Refresh header, with or without this file);
// the card page's print button. Every page works without this file.
(function () {
  "use strict";
  var c = document.getElementById("code-countdown");
  if (c) {
    var left = parseInt(c.dataset.seconds, 10);
    var text = c.textContent;
    var tick = function () {
      left -= 1;
      if (left <= 0) { window.location.reload(); return; }
      c.textContent = text.replace(/\d+/, String(left));
      window.setTimeout(tick, 1000);
    };
    window.setTimeout(tick, 1000);
  }
  var print = document.getElementById("print-card");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();
