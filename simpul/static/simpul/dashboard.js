/* Simpul dashboard: render the figures and refresh them from the JSON API without reloading the page.

   Data reaches the DOM only as text (textContent, createElement, a DOM node for Leaflet's tooltips): a site
   named "<img onerror=...>" is shown as that name. The page says what to draw through its json_script data
   and data- attributes; the Content-Security-Policy allows no inline script. */
"use strict";
(function () {
  var REFRESH_MS = window.SIMPUL_REFRESH_MS || 30000;  // tests shorten it
  var COLORS = {up: "#1a7f37", degraded: "#bf8700", down: "#cf222e", unreachable: "#cf222e",
                unknown: "#6e7781", maintenance: "#0969da"};

  function percent(value) {
    return value === null || value === undefined ? "–" : (value * 100).toFixed(2) + "%";
  }

  function duration(seconds) {
    if (!seconds) return "–";
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60);
    return h ? h + " j " + m + " m" : m + " m";
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function pageData(id) {
    return JSON.parse(document.getElementById(id).textContent);
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

  function when(iso) {
    return new Date(iso).toLocaleString("id-ID", {timeZone: "Asia/Makassar", day: "numeric", month: "short",
                                                  hour: "2-digit", minute: "2-digit"}) + " WITA";
  }

  // Alerts panel: unacknowledged first (the server's order), a link to each alert, then failing channels.
  function alertsPanel(panel, data) {
    var say = panel.dataset;
    document.getElementById("alerts-totals").textContent =
      say.totals.replace("%(unack)s", data.unacknowledged).replace("%(active)s", data.active);
    var list = document.getElementById("alerts-list");
    list.replaceChildren.apply(list, data.alerts.length ? data.alerts.map(function (a) {
      var li = element("li", undefined, "alert-" + a.state);
      var link = li.appendChild(element("a", a.summary));
      link.href = a.url;
      li.appendChild(document.createTextNode(" "));
      li.appendChild(element("span", a.state_label, "badge state-" + (a.state === "acknowledged" ? "maintenance" : "down")));
      li.appendChild(element("span", " " + say.since + " " + when(a.started_at), "muted"));
      return li;
    }) : [element("li", say.none)]);
    var channels = document.getElementById("channels-list");
    if (!data.failing_channels.length) {
      channels.replaceChildren(element("li", say.channelsOk));
      return;
    }
    lines(channels, data.failing_channels, function (c) {
      return c.agency + " · " + c.name + " – " + c.failures + " " + say.failures + ", " + say.since + " " + when(c.failing_since);
    });
  }

  function overview(table) {
    var panel = document.getElementById("alerts-panel");
    function render(data) {
      stamp(data.generated_at);
      if (panel && data.alerts) alertsPanel(panel, data.alerts);
      data.agencies.forEach(function (row) {
        var tr = table.querySelector('tr[data-agency="' + CSS.escape(row.agency) + '"]');
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
        set("report", table.getAttribute("data-report-" + row.report_status) || row.report_status,
            row.report_status === "missing" || row.report_status === "late" ? "overdue" : "");
      });
    }
    render(pageData("overview-data"));
    refresh(table.dataset.url, render);
  }

  // A list of one text line per item, or a dash when there is none.
  function lines(list, items, text) {
    var nodes = items.map(function (item) { return element("li", text(item)); });
    list.replaceChildren.apply(list, nodes.length ? nodes : [element("li", "–")]);
  }

  function agency(mapBox) {
    var map = L.map(mapBox, {zoomControl: true});
    var tileUrl = mapBox.dataset.tileUrl;
    if (tileUrl) L.tileLayer(tileUrl, {maxZoom: 18, attribution: "&copy; OpenStreetMap"}).addTo(map);
    var markers = L.layerGroup().addTo(map);
    var fitted = false;

    function render(data) {
      stamp(data.generated_at);
      markers.clearLayers();
      var bounds = [];
      data.sites.forEach(function (site) {
        // Vector circles, not image icons: they show even when no tile or image can be loaded.
        L.circleMarker([site.lat, site.lon], {radius: 10, color: "#fff", weight: 2, fillOpacity: 0.9,
                                              fillColor: COLORS[site.state] || COLORS.unknown})
          .bindTooltip(element("span", site.name + " (" + site.state + ")"))  // a node: Leaflet puts strings in as HTML
          .addTo(markers);
        bounds.push([site.lat, site.lon]);
      });
      if (bounds.length && !fitted) { map.fitBounds(bounds, {padding: [30, 30], maxZoom: 12}); fitted = true; }
      var tbody = document.querySelector("#assets tbody");
      tbody.replaceChildren.apply(tbody, data.assets.map(function (a) {
        var tr = document.createElement("tr");
        [a.name, a.kind_label, a.site || "–"].forEach(function (t) { tr.appendChild(element("td", t)); });
        tr.appendChild(element("td")).appendChild(element("span", a.state, "badge state-" + a.state));
        tr.appendChild(element("td", a.last_rtt_ms === null ? "–" : a.last_rtt_ms.toFixed(1) + " ms"));
        return tr;
      }));
      document.getElementById("a24h").textContent = percent(data.availability["24h"]);
      document.getElementById("a7d").textContent = percent(data.availability["7d"]);
      document.getElementById("a30d").textContent = percent(data.availability["30d"]);
      lines(document.getElementById("outages"), data.outages, function (o) {
        return o.asset + " – " + duration(o.duration_s) + (o.took_down ? " (+" + o.took_down + ")" : "");
      });
      lines(document.getElementById("upcoming"), data.upcoming, function (w) { return w.due_date + " · " + w.title; });
    }
    render(pageData("detail-data"));
    refresh(mapBox.dataset.url, render);
  }

  var table = document.getElementById("overview");
  if (table) overview(table);
  var mapBox = document.getElementById("map");
  if (mapBox) agency(mapBox);
})();
