// Integrity station pages: camera scanning where the browser has
// BarcodeDetector, a live basket total, and the receipt's print button.
// Every page works without this file.
(function () {
  "use strict";
  // After a refused scan the code field starts empty and focused, also when
  // the browser restores the page from its cache with the old value.
  var code = document.getElementById("code");
  if (code && document.getElementById("error")) {
    var ready = function () { code.value = ""; code.focus(); };
    ready();
    window.addEventListener("pageshow", ready);
  }
  var cam = document.getElementById("camera");
  if (cam && "BarcodeDetector" in window && navigator.mediaDevices) {
    cam.hidden = false;
    cam.addEventListener("click", function () {
      var video = document.getElementById("camera-view");
      var input = document.getElementById(cam.dataset.target);
      var detector = new window.BarcodeDetector({ formats: ["qr_code", "code_128"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        var tick = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length > 0) {
              stream.getTracks().forEach(function (t) { t.stop(); });
              video.hidden = true;
              input.value = codes[0].rawValue;
              input.form.submit();
              return;
            }
            window.requestAnimationFrame(tick);
          }).catch(function () { window.requestAnimationFrame(tick); });
        };
        tick();
      }).catch(function () { input.focus(); });
    });
  }
  var total = document.getElementById("basket-total");
  if (total) {
    var sum = function () {
      var n = 0;
      document.querySelectorAll("tr[data-points]").forEach(function (row) {
        var q = parseInt(row.querySelector("input.qty").value, 10);
        if (q > 0) { n += q * parseInt(row.dataset.points, 10); }
      });
      total.textContent = String(n);
    };
    document.querySelectorAll("input.qty").forEach(function (i) { i.addEventListener("input", sum); });
    sum();
  }
  var print = document.getElementById("print");
  if (print) { print.addEventListener("click", function () { window.print(); }); }
})();
