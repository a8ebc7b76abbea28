/* An asset's SNMP metrics per hour over seven days (throughput against the contract, UPS battery, vendor
   figures such as a modem's signal), drawn by uPlot like the agency page's charts: time in WITA, an hour
   without data as a gap, figures written the Indonesian way ("12,5 Mbps"). Words come from data- attributes. */
"use strict";
(function () {
  var box = document.getElementById("metric-charts");
  if (!box || !window.uPlot) return;
  var TZ = "Asia/Makassar", HOUR = 3600, DAY = 86400, say = box.dataset;
  var LANG = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  var dayFormat = new Intl.DateTimeFormat(LANG, {timeZone: TZ, day: "numeric", month: "short"});
  var timeFormat = new Intl.DateTimeFormat("id-ID", {timeZone: TZ, hour: "2-digit", minute: "2-digit", hourCycle: "h23"});
  var number = new Intl.NumberFormat("id-ID", {maximumFractionDigits: 1});

  function at(ts) { return new Date(ts * 1000); }
  function when(ts) { return ts === null ? "–" : dayFormat.format(at(ts)) + ", " + timeFormat.format(at(ts)) + " WITA"; }
  // Taller on a desk or a projector, where a flat week hides its hours.
  function height(el) { return el.clientWidth > 700 ? 280 : 200; }
  // Midnight reads as its date, other ticks as the hour: "12.00" alone would not say which day.
  function tick(ts, incr) {
    var clock = timeFormat.format(at(ts));
    return incr >= DAY || clock === "00.00" ? dayFormat.format(at(ts)) : clock;
  }
  function shown(unit) { return function (u, v) { return v === null || v === undefined ? "–" : number.format(v) + unit; }; }

  function chart(el, unit, series, range) {
    var u = new uPlot({
      width: el.clientWidth || 300,
      height: height(el),
      tzDate: function (ts) { return uPlot.tzDate(at(ts), TZ); },
      scales: {x: {time: true}, y: {range: range}},
      series: [{label: say.time, value: function (u, ts) { return when(ts); }}].concat(series.map(function (s) {
        return {label: s.label, stroke: s.color, width: 2, dash: s.dash, spanGaps: false, value: shown(unit),
                points: {show: !s.dash, size: 3, fill: s.color}};  // a dashed reference line needs no points
      })),
      axes: [{label: say.xLabel, space: 56, values: function (u, splits, i, space, incr) {
                return splits.map(function (ts) { return tick(ts, incr); });
              }},
             {label: el.dataset.yLabel, size: unit.length > 2 ? 84 : 64, values: function (u, splits) {
                return splits.map(function (v) { return number.format(v) + unit; });
              }}],
      cursor: {drag: {x: false, y: false}},
      // Away from the cursor the legend reads the latest hour with figures, not dashes: a phone has no hover.
      hooks: {setCursor: [function (u) { if (u.cursor.idx == null && u.latest != null) u.setLegend({idx: u.latest}); }]},
    }, [[]].concat(series.map(function () { return []; })), el);
    var empty = el.parentNode.insertBefore(document.createElement("p"), el.nextSibling);
    empty.className = "muted";
    empty.textContent = say.empty;
    el.uplot = u;  // the browser tests read the drawn data from here
    return function (columns, hasData) {
      u.setData(columns);
      empty.hidden = hasData;
      u.latest = null;
      for (var i = columns[0].length - 1; i >= 0 && u.latest === null; i--) {
        if (columns[1][i] !== null) u.latest = i;
      }
      if (u.latest !== null && u.cursor.idx == null) u.setLegend({idx: u.latest});
    };
  }

  function upFrom(zero) { return function (u, min, max) { return [0, Math.max(zero, Math.ceil((max || 0) * 1.1))]; }; }
  var draws = [];
  var throughput = document.getElementById("metric-throughput");
  if (throughput) {
    var d = throughput.dataset;
    var drawThroughput = chart(throughput, " Mbps", [
      {label: d.seriesIn, color: "#0969da"}, {label: d.seriesOut, color: "#1a7f37"},
      {label: d.seriesContract, color: "#cf222e", dash: [4, 3]}], upFrom(1));
    draws.push(function (data, hours, column) {
      var mbit = function (h) { return h.avg / 1e6; };
      var contract = data.down_mbps === null ? null : Number(data.down_mbps);
      drawThroughput([hours, column("if_in_bps", mbit), column("if_out_bps", mbit),
                      hours.map(function () { return contract; })], data.series.if_in_bps.length > 0);
    });
  }
  var battery = document.getElementById("metric-battery");
  if (battery) {
    var drawBattery = chart(battery, " %", [{label: battery.dataset.series, color: "#1a7f37"},
      {label: battery.dataset.seriesOnBattery, color: "#cf222e", dash: [4, 3]}], function () { return [0, 100]; });
    draws.push(function (data, hours, column) {
      drawBattery([hours, column("ups_charge_pct", function (h) { return h.avg; }),
                   column("ups_on_battery", function (h) { return h.avg * 100; })], data.series.ups_charge_pct.length > 0);
    });
  }
  var extras = Array.prototype.slice.call(box.querySelectorAll(".metric-extra"));
  extras.forEach(function (el) {
    var drawExtra = chart(el, "", [{label: el.dataset.series, color: "#8250df"}], function (u, min, max) {
      return [Math.floor(min === null ? 0 : min), Math.ceil(max === null ? 1 : max)];
    });
    draws.push(function (data, hours, column) {
      drawExtra([hours, column(el.dataset.metric, function (h) { return h.avg; })],
                (data.series[el.dataset.metric] || []).length > 0);
    });
  });

  function draw(data) {
    var now = Date.parse(data.generated_at) / 1000, hours = [];
    for (var ts = Math.ceil((now - 7 * DAY) / HOUR) * HOUR; ts <= now; ts += HOUR) hours.push(ts);
    function column(metric, pick) {
      var byHour = {};
      (data.series[metric] || []).forEach(function (h) { byHour[Date.parse(h.hour) / 1000] = h; });
      return hours.map(function (ts) { return byHour[ts] ? pick(byHour[ts]) : null; });
    }
    draws.forEach(function (f) { f(data, hours, column); });
  }

  var query = extras.map(function (el) { return "metric=" + encodeURIComponent(el.dataset.metric); }).join("&");
  function load() {
    fetch(box.dataset.url + (query ? "?" + query : ""), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(draw)
      .catch(function () { /* keep the last figures; try again on the next tick */ });
  }
  load();
  setInterval(load, 300000);
  window.addEventListener("resize", function () {
    box.querySelectorAll(".chart").forEach(function (el) { el.uplot.setSize({width: el.clientWidth, height: height(el)}); });
  });
})();
