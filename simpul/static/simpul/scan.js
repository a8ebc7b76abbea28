/* The label scanner (assets/scan.html): the phone's camera, read by the browser's BarcodeDetector where it has
   one and by the vendored jsQR (vendor/jsqr, loaded only then) otherwise. Only a URL of this Simpul's asset
   pages is followed, by posting the asset's id (the server ticks it in an open stocktake and opens its page);
   any other text is shown as text and not opened. */
"use strict";
(function () {
  var scanner = document.getElementById("scanner");
  if (!scanner) { return; }
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  var texts = document.getElementById("scan-texts").dataset;
  var foreign = document.getElementById("scan-foreign");
  var start = document.getElementById("scan-start");
  var form = document.getElementById("scan-form");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var ASSET_PATH = /^\/assets\/(\d+)\/$/;
  var MAX_WIDTH = 640; // jsQR reads a label well at this size, and fast enough on an old phone
  var EVERY_MS = 200;
  var stream = null;
  var done = false;

  function assetId(text) {
    var url;
    try { url = new URL(text); } catch (error) { return null; }
    if (url.origin !== window.location.origin) { return null; }
    var match = ASSET_PATH.exec(url.pathname);
    return match ? match[1] : null;
  }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
  }

  function read(text) {
    var id = assetId(text);
    if (id === null) {
      document.getElementById("scan-foreign-text").textContent = text;
      foreign.hidden = false;
      return;
    }
    done = true;
    stop();
    status.textContent = texts.opening;
    document.getElementById("scan-asset").value = id;
    document.getElementById("scan-tag").value = "";
    form.submit();
  }

  function nativeDetector() {
    if (!("BarcodeDetector" in window)) { return Promise.resolve(null); }
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
    }).catch(function () { return null; });
  }

  function loadJsQR() {
    if (window.jsQR) { return Promise.resolve(); }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = scanner.dataset.decoder;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function decode(detector) {
    if (detector) {
      return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
    }
    if (!video.videoWidth) { return Promise.resolve(null); }
    var scale = Math.min(1, MAX_WIDTH / video.videoWidth);
    var width = Math.round(video.videoWidth * scale);
    var height = Math.round(video.videoHeight * scale);
    canvas.width = width;
    canvas.height = height;
    context.drawImage(video, 0, 0, width, height);
    var code = window.jsQR(context.getImageData(0, 0, width, height).data, width, height);
    return Promise.resolve(code ? code.data : null);
  }

  function look(detector) {
    if (done) { return; }
    decode(detector).then(function (text) {
      if (text) { read(text); }
    }).catch(function () { /* a frame that does not decode: try the next one */ }).then(function () {
      if (!done) { window.setTimeout(function () { look(detector); }, EVERY_MS); }
    });
  }

  function begin() {
    start.hidden = true;
    status.textContent = texts.starting;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      status.textContent = texts.denied;
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (camera) {
        stream = camera;
        video.srcObject = camera;
        video.hidden = false;
        return video.play();
      })
      .then(nativeDetector)
      .then(function (detector) { return detector || loadJsQR().then(function () { return null; }); })
      .then(function (detector) {
        status.textContent = texts.looking;
        look(detector);
      })
      .catch(function () {
        stop();
        video.hidden = true;
        status.textContent = texts.denied;
        start.hidden = false;
      });
  }

  start.addEventListener("click", begin);
  window.addEventListener("pagehide", stop);
  begin();
}());
