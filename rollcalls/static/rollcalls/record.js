/* The roll-call form during the call: a tap fills the station's usual report (5/9 clear, 3/3 weak) unless
   one is chosen, "no answer" clears it, and the counter says how many stations are done. The form posts
   the same fields without this script; the server applies the same defaults. */
"use strict";
(function () {
  var form = document.querySelector("[data-roll-call]");
  if (!form) { return; }
  var DEFAULTS = { clear: ["5", "9"], weak: ["3", "3"] };
  var done = form.querySelector("[data-done]");
  var stations = form.querySelectorAll("[data-station]");

  function count() {
    var n = 0;
    stations.forEach(function (station) { if (station.querySelector("input[type=radio]:checked")) { n += 1; } });
    done.textContent = String(n);
  }

  stations.forEach(function (station) {
    var selects = station.querySelectorAll("select");
    station.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        station.setAttribute("data-heard", radio.value);
        var report = DEFAULTS[radio.value];
        selects.forEach(function (select, i) {
          select.disabled = !report;
          if (!report) { select.value = ""; } else if (station.getAttribute("data-touched") !== "yes") { select.value = report[i]; }
        });
        count();
      });
    });
    selects.forEach(function (select) {
      select.addEventListener("change", function () { station.setAttribute("data-touched", "yes"); });
    });
  });
  count();
}());
