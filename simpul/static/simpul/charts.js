/* Simpul charts: an agency's daily availability and hourly RTT and loss over time, drawn by uPlot (vendor/uplot).

   Time runs along the x axis in WITA whatever the browser's zone; a day or an hour without data is null, which
   uPlot leaves as a gap (never a zero that reads as "fine" or "dead"). Words come from the page's data-
   attributes (translated there); the figures from its json_script data, then from the JSON API. */
"use strict";
(function () {
  var box = document.getElementById("charts");
  if (!box || !window.uPlot) return;
  var TZ = "Asia/Makassar", HOUR = 3600, DAY = 86400, HEIGHT = 200;
  var REFRESH_MS = window.SIMPUL_CHARTS_REFRESH_MS || 300000;  // hourly figures: every five minutes is plenty
  var say = box.dataset;
  // Month names in the page's language; clock and numbers written the one way simpul/formats.py writes them.
  var LANG = document.documentElement.lang === "en" ? "en-GB" : "id-ID";  // "10 Nov", as the server writes it
  var dayFormat = new Intl.DateTimeFormat(LANG, {timeZone: TZ, day: "numeric", month: "short"});
  var dateFormat = new Intl.DateTimeFormat(LANG, {timeZone: TZ, day: "numeric", month: "long", year: "numeric"});
  var timeFormat = new Intl.DateTimeFormat("id-ID", {timeZone: TZ, hour: "2-digit", minute: "2-digit", hourCycle: "h23"});
  var number = new Intl.NumberFormat("id-ID", {maximumFractionDigits: 1});

  function at(ts) { return new Date(ts * 1000); }

  function wholeDay(ts) { return timeFormat.format(at(ts)) === "00.00"; }

  // Tick labels: the date at WITA midnight and when ticks are a day or more apart, else the WITA hour.
  function timeTicks(u, splits, axisIdx, space, incr) {
    return splits.map(function (ts) {
      return incr >= DAY || wholeDay(ts) ? dayFormat.format(at(ts)) : timeFormat.format(at(ts));
    });
  }

  function unitTicks(unit) {
    return function (u, splits) {
      return splits.map(function (v) { return number.format(v) + unit; });
    };
  }

  function shown(unit) {
    return function (u, v) { return v === null || v === undefined ? "–" : number.format(v) + unit; };
  }

  function chart(el, options) {
    var latest = -1;
    var series = options.series.map(function (s) {
      return {label: s.label, stroke: s.color, width: 2, dash: s.dash, spanGaps: false, value: shown(options.unit),
              points: {show: true, size: options.pointSize, fill: s.color}};
    });
    var u = new uPlot({
      width: el.clientWidth || 300,
      height: HEIGHT,
      tzDate: function (ts) { return uPlot.tzDate(at(ts), TZ); },
      scales: {x: {time: true}, y: {range: options.range}},
      series: [{label: say.time, value: function (u, ts) { return ts === null ? "–" : options.when(ts); }}]
        .concat(series),
      axes: [
        {label: say.xLabel, values: timeTicks, space: 56},
        {label: el.dataset.yLabel, values: unitTicks(options.unit), size: 64},
      ],
      cursor: {points: {size: 9}, drag: {x: false, y: false}},
      // Until the pointer says otherwise, the legend reads the latest figure.
      hooks: {setCursor: [function (u) { if (u.cursor.idx == null && latest >= 0) u.setLegend({idx: latest}, false); }]},
    }, [[]].concat(series.map(function () { return []; })), el);
    var empty = el.parentNode.insertBefore(document.createElement("p"), el.nextSibling);
    empty.className = "muted";
    empty.textContent = say.empty;
    el.uplot = u;  // the browser tests read the drawn data from here
    return function (data) {
      latest = -1;
      data[1].forEach(function (v, i) { if (v !== null) latest = i; });
      u.setData(data);
      empty.hidden = latest >= 0;
    };
  }

  var daily = chart(document.getElementById("daily"), {
    unit: " %",
    pointSize: 6,
    series: [{label: document.getElementById("daily").dataset.series, color: "#1a7f37"}],
    range: function (u, min, max) { return [min === null ? 90 : Math.min(90, Math.floor(min)), 100]; },
    when: function (ts) { return dateFormat.format(at(ts)); },
  });
  var rtt = chart(document.getElementById("rtt"), {
    unit: " ms",
    pointSize: 3,
    series: [{label: document.getElementById("rtt").dataset.series, color: "#0969da"},
             {label: document.getElementById("rtt").dataset.seriesMax, color: "#8250df", dash: [4, 3]}],
    range: function (u, min, max) { return [0, Math.max(10, Math.ceil((max || 0) * 1.1))]; },
    when: function (ts) { return dayFormat.format(at(ts)) + ", " + timeFormat.format(at(ts)) + " WITA"; },
  });
  var loss = chart(document.getElementById("loss"), {
    unit: " %",
    pointSize: 3,
    series: [{label: document.getElementById("loss").dataset.series, color: "#cf222e"}],
    range: function (u, min, max) { return [0, Math.max(5, Math.ceil(max || 0))]; },
    when: function (ts) { return dayFormat.format(at(ts)) + ", " + timeFormat.format(at(ts)) + " WITA"; },
  });

  function percent(v) { return v === null || v === undefined ? null : v * 100; }

  function draw(data) {
    // Days start at WITA midnight; the server sends the day as a date.
    daily([
      data.daily_availability.map(function (d) { return Date.parse(d.day + "T00:00:00+08:00") / 1000; }),
      data.daily_availability.map(function (d) { return percent(d.availability); }),
    ]);
    // Every hour of the last seven days gets a slot; an hour the server has no figures for stays null.
    var now = Date.parse(data.generated_at) / 1000;
    var byHour = {};
    data.hourly.forEach(function (h) { byHour[Date.parse(h.hour) / 1000] = h; });
    var hours = [];
    for (var ts = Math.ceil((now - 7 * DAY) / HOUR) * HOUR; ts <= now; ts += HOUR) hours.push(ts);
    function column(pick) {
      return hours.map(function (ts) { return byHour[ts] ? pick(byHour[ts]) : null; });
    }
    rtt([hours, column(function (h) { return h.rtt_ms; }), column(function (h) { return h.rtt_max_ms; })]);
    loss([hours, column(function (h) { return percent(h.loss); })]);
  }

  draw(JSON.parse(document.getElementById("detail-data").textContent));
  window.addEventListener("resize", function () {
    ["daily", "rtt", "loss"].forEach(function (id) {
      var el = document.getElementById(id);
      el.uplot.setSize({width: el.clientWidth, height: HEIGHT});
    });
  });
  setInterval(function () {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(draw)
      .catch(function () { /* keep the last figures; try again on the next tick */ });
  }, REFRESH_MS);
})();
