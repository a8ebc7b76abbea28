/* Simpul dashboard: render the figures and refresh them from the JSON API without reloading the page. */
"use strict";
var Simpul = (function () {
  var REFRESH_MS = window.SIMPUL_REFRESH_MS || 30000;  // tests shorten it

  function percent(value) {
    return value === null || value === undefined ? "–" : (value * 100).toFixed(2) + "%";
  }

  function duration(seconds) {
    if (!seconds) return "–";
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60);
    return h ? h + " j " + m + " m" : m + " m";
  }

  function refresh(url, render) {
    function tick() {
      fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(render)
        .catch(function () { /* keep the last figures; try again on the next tick */ });
    }
    setInterval(tick, REFRESH_MS);
  }

  function stamp(iso) {
    var el = document.getElementById("generated");
    if (el) el.textContent = new Date(iso).toLocaleString("id-ID", {timeZone: "Asia/Makassar"});
  }

  function overview(url, labels) {
    function render(data) {
      stamp(data.generated_at);
      data.agencies.forEach(function (row) {
        var tr = document.querySelector('tr[data-agency="' + row.agency + '"]');
        if (!tr) return;
        function set(key, text, cls) {
          var td = tr.querySelector('[data-k="' + key + '"]');
          td.textContent = text;
          if (cls !== undefined) td.className = cls;
        }
        set("up", row.states.up);
        set("degraded", row.states.degraded);
        set("down", row.states.down + row.states.unreachable, row.states.down ? "overdue" : "");
        set("unknown", row.states.unknown);
        set("a24h", percent(row.availability["24h"]));
        set("a7d", percent(row.availability["7d"]));
        set("a30d", percent(row.availability["30d"]));
        set("outages", row.open_outages ? row.open_outages + " (" + duration(row.longest_outage_s) + ")" : "0");
        set("work", row.open_work_orders + " (" + row.overdue_work_orders + ")", row.overdue_work_orders ? "overdue" : "");
        set("report", labels.report[row.report_status] || row.report_status,
            row.report_status === "missing" || row.report_status === "late" ? "overdue" : "");
      });
    }
    render(JSON.parse(document.getElementById("overview-data").textContent));
    refresh(url, render);
  }

  var COLORS = {up: "#1a7f37", degraded: "#bf8700", down: "#cf222e", unreachable: "#cf222e",
                unknown: "#6e7781", maintenance: "#0969da"};

  function bars(svg, values, max, color, title) {
    var w = 300, h = 80, n = values.length || 1, bw = w / n;
    var out = '<svg viewBox="0 0 ' + w + " " + h + '" preserveAspectRatio="none" role="img" aria-label="' + title + '">';
    values.forEach(function (v, i) {
      if (v === null || v === undefined) return;
      var bh = Math.max(1, (Math.min(v, max) / max) * (h - 2));
      out += '<rect x="' + (i * bw + 0.5) + '" y="' + (h - bh) + '" width="' + Math.max(bw - 1, 0.5) +
             '" height="' + bh + '" fill="' + color(v) + '"><title>' + v + "</title></rect>";
    });
    svg.innerHTML = out + "</svg>";
  }

  function agency(url, tileUrl) {
    var map = L.map("map", {zoomControl: true});
    if (tileUrl) L.tileLayer(tileUrl, {maxZoom: 18, attribution: "&copy; OpenStreetMap"}).addTo(map);
    var markers = L.layerGroup().addTo(map);

    function render(data) {
      stamp(data.generated_at);
      markers.clearLayers();
      var bounds = [];
      data.sites.forEach(function (site) {
        // Vector circles, not image icons: they show even when no tile or image can be loaded.
        L.circleMarker([site.lat, site.lon], {radius: 10, color: "#fff", weight: 2, fillOpacity: 0.9,
                                              fillColor: COLORS[site.state] || COLORS.unknown})
          .bindTooltip(site.name + " (" + site.state + ")").addTo(markers);
        bounds.push([site.lat, site.lon]);
      });
      if (bounds.length && !map._simpulFitted) { map.fitBounds(bounds, {padding: [30, 30], maxZoom: 12}); map._simpulFitted = true; }
      var tbody = document.querySelector("#assets tbody");
      tbody.innerHTML = "";
      data.assets.forEach(function (a) {
        var tr = document.createElement("tr");
        [a.name, a.kind_label, a.site || "–"].forEach(function (t) { var td = document.createElement("td"); td.textContent = t; tr.appendChild(td); });
        var st = document.createElement("td");
        st.innerHTML = '<span class="badge state-' + a.state + '"></span>';
        st.firstChild.textContent = a.state;
        tr.appendChild(st);
        var rtt = document.createElement("td");
        rtt.textContent = a.last_rtt_ms === null ? "–" : a.last_rtt_ms.toFixed(1) + " ms";
        tr.appendChild(rtt);
        tbody.appendChild(tr);
      });
      document.getElementById("a24h").textContent = percent(data.availability["24h"]);
      document.getElementById("a7d").textContent = percent(data.availability["7d"]);
      document.getElementById("a30d").textContent = percent(data.availability["30d"]);
      bars(document.getElementById("daily"), data.daily_availability.map(function (d) { return d.availability; }), 1,
           function (v) { return v >= 0.99 ? COLORS.up : v >= 0.95 ? COLORS.degraded : COLORS.down; }, "availability");
      var rtts = data.hourly.map(function (h) { return h.rtt_ms; });
      bars(document.getElementById("rtt"), rtts, Math.max.apply(null, rtts.concat([1])), function () { return "#0969da"; }, "rtt");
      bars(document.getElementById("loss"), data.hourly.map(function (h) { return h.loss; }), 1,
           function () { return COLORS.down; }, "loss");
      var outages = document.getElementById("outages");
      outages.innerHTML = "";
      data.outages.forEach(function (o) {
        var li = document.createElement("li");
        li.textContent = o.asset + " – " + duration(o.duration_s) + (o.took_down ? " (+" + o.took_down + ")" : "");
        outages.appendChild(li);
      });
      if (!data.outages.length) outages.innerHTML = "<li>–</li>";
      var upcoming = document.getElementById("upcoming");
      upcoming.innerHTML = "";
      data.upcoming.forEach(function (w) {
        var li = document.createElement("li");
        li.textContent = w.due_date + " · " + w.title;
        upcoming.appendChild(li);
      });
      if (!data.upcoming.length) upcoming.innerHTML = "<li>–</li>";
    }
    render(JSON.parse(document.getElementById("detail-data").textContent));
    refresh(url, render);
  }

  return {overview: overview, agency: agency};
})();
