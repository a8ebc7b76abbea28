/* Simpul dashboard: render the figures and refresh them from the JSON API without reloading the page.

   Data reaches the DOM only as text (textContent, createElement, a DOM node for Leaflet's tooltips): a site
   named "<img onerror=...>" is shown as that name. The page says what to draw through its json_script data
   and data- attributes; the Content-Security-Policy allows no inline script. */
"use strict";
(function () {
  var REFRESH_MS = window.SIMPUL_REFRESH_MS || 30000;  // tests shorten it
  var COLORS = {up: "#1a7f37", degraded: "#bf8700", down: "#cf222e", unreachable: "#cf222e",
                unknown: "#6e7781", maintenance: "#0969da"};

  var LANG = document.documentElement.lang || "id";
  var WORDS = (document.getElementById("words") || {dataset: {}}).dataset;  // translated by the page

  // "%(n)s mati dari %(total)s aset" with its values: the page's translated sentences keep their placeholders.
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (all, key) { return values[key]; });
  }

  function number(value, digits) {
    return new Intl.NumberFormat(LANG, {minimumFractionDigits: digits || 0, maximumFractionDigits: digits || 0})
      .format(value);
  }

  // 99,5 %: cut, not rounded, so 99.96 % of the time up never reads as 100 %.
  function percent(value) {
    return number(Math.floor(value * 1000) / 10, 1) + " %";
  }

  // "3 hari 4 jam", "2 jam 5 menit", "7 menit": the largest unit and the next, when that is not zero.
  function duration(seconds) {
    var units = [[86400, WORDS.day], [3600, WORDS.hour], [60, WORDS.minute]];
    for (var i = 0; i < units.length; i++) {
      var n = Math.floor(seconds / units[i][0]), next = units[i + 1];
      if (n || !next) {
        var text = number(next ? n : Math.max(n, seconds > 0 ? 1 : 0)) + " " + units[i][1];  // under a minute: 1
        var rest = next ? Math.floor((seconds % units[i][0]) / next[0]) : 0;
        return rest ? text + " " + number(rest) + " " + next[1] : text;
      }
    }
  }

  function dateParts(date, options) {
    var parts = {};
    new Intl.DateTimeFormat(LANG, options).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    return parts;
  }

  // "10 November 2026, 15.04 WITA", whatever zone the browser is in.
  function moment(iso) {
    var p = dateParts(new Date(iso), {timeZone: "Asia/Makassar", day: "numeric", month: "long", year: "numeric",
                                      hour: "2-digit", minute: "2-digit", hourCycle: "h23"});
    return p.day + " " + p.month + " " + p.year + ", " + p.hour + "." + p.minute + " " + WORDS.wita;
  }

  // A calendar date, "2026-11-10", as "10 November 2026".
  function day(isoDate) {
    var p = dateParts(new Date(isoDate + "T00:00:00Z"), {timeZone: "UTC", day: "numeric", month: "long", year: "numeric"});
    return p.day + " " + p.month + " " + p.year;
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
    if (el) el.textContent = moment(iso);
  }

  function when(iso) {
    return moment(iso);
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

  // Remote pollers: silent first (the server's order), each with its last contact and backlog.
  function pollersPanel(panel, pollers) {
    var say = panel.dataset;
    var silent = pollers.filter(function (p) { return p.health === "silent"; }).length;
    document.getElementById("pollers-totals").textContent =
      fill(say.totals, {silent: silent, total: pollers.length});
    var list = document.getElementById("pollers-list");
    list.replaceChildren.apply(list, pollers.map(function (p) {
      var li = element("li", p.name + " (" + p.agency_name + ") ");
      li.dataset.state = p.health;
      li.appendChild(element("span", p.health_label, "badge state-" + p.health));
      li.appendChild(element("span", " " + say.contact + " " + (p.last_contact_at ? when(p.last_contact_at) : say.never) +
        " · " + fill(say.backlog, {n: number(p.backlog)}) + " · " + fill(say.assets, {n: number(p.assets)}), "muted"));
      return li;
    }));
    panel.hidden = !pollers.length;
  }

  var WINDOW_WORDS = {"24h": [24, "hour"], "7d": [7, "day"], "30d": [30, "day"]};

  // An availability figure with its coverage: "99,5 %", "99,5 % (dipantau 6 hari dari 30 hari)", or only
  // "dipantau 2 menit dari 30 hari" where the server withheld the percentage (below its coverage floor).
  function figure(box, value, label) {
    var span = WINDOW_WORDS[label];
    var nodes = [];
    if (value.value !== null) nodes.push(element("strong", percent(value.value)));
    if (value.coverage < 0.995) {  // watched (nearly) the whole window: the percentage says enough
      nodes.push(element("span", fill(WORDS.watched, {watched: duration(value.watched_s),
                                                       window: number(span[0]) + " " + WORDS[span[1]]}), "coverage"));
    }
    box.replaceChildren.apply(box, nodes);
  }

  function badge(state, text) {
    return element("span", text, "badge state-" + state);
  }

  // "1 mati dari 78 aset · 2 belum dicek · 3 tidak dipantau · 72 normal": every asset counted once.
  function totalsLine(box, states, assets, labels) {
    var parts = [fill(WORDS.ofTotal, {n: number(states.down), total: number(assets)})];
    Object.keys(labels).forEach(function (bucket) {
      if (bucket !== "down" && states[bucket]) parts.push(number(states[bucket]) + " " + labels[bucket].toLowerCase());
    });
    box.textContent = parts.join(" · ");
  }

  // Each non-empty bucket as a badge, worst first: "1 Mati", "2 Belum dicek", ...
  function buckets(states, labels) {
    var box = element("div", undefined, "buckets");
    Object.keys(labels).forEach(function (bucket) {
      if (states[bucket]) box.appendChild(badge(bucket, number(states[bucket]) + " " + labels[bucket]));
    });
    return box;
  }

  // A row whose cells carry their column's name, shown before the value when the table becomes cards.
  function row(table, cells) {
    var heads = table.querySelectorAll("thead th");
    var tr = document.createElement("tr");
    cells.forEach(function (content, i) {
      var td = tr.appendChild(element("td"));
      td.dataset.label = heads[i] ? heads[i].textContent : "";
      var box = td.appendChild(element("div"));
      (Array.isArray(content) ? content : [content]).forEach(function (c) {
        box.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
      });
    });
    return tr;
  }

  function outagesText(count, since, longest) {
    if (!count) return WORDS.none;
    return number(count) + " · " + WORDS.since + " " + moment(since) + (longest ? " (" + duration(longest) + ")" : "");
  }

  function overview(table) {
    var panel = document.getElementById("alerts-panel");
    var say = table.dataset;
    function render(data) {
      stamp(data.generated_at);
      if (panel && data.alerts) alertsPanel(panel, data.alerts);
      var pollers = document.getElementById("pollers-panel");
      if (pollers && data.pollers) pollersPanel(pollers, data.pollers);
      totalsLine(document.getElementById("overview-totals"), data.totals.states, data.totals.assets, data.labels);
      var tbody = table.querySelector("tbody");
      tbody.replaceChildren.apply(tbody, data.agencies.map(function (r) {
        var link = element("a", r.agency + " " + r.name);
        link.href = r.url;
        var cells = [link, r.worst ? badge(r.worst, r.worst_label) : say.noAssets, buckets(r.states, data.labels)];
        ["24h", "7d", "30d"].forEach(function (w) {
          var box = element("span");
          figure(box, r.availability[w], w);
          cells.push(box);
        });
        cells.push(outagesText(r.open_outages, r.outage_since, r.longest_outage_s));
        cells.push(number(r.open_work_orders) +
                   (r.overdue_work_orders ? " · " + fill(WORDS.overdue, {n: number(r.overdue_work_orders)}) : ""));
        cells.push(r.report_status ? table.getAttribute("data-report-" + r.report_status) || "" : "");
        var tr = row(table, cells);
        tr.dataset.agency = r.agency;
        tr.dataset.worst = r.worst || "";
        if (r.overdue_work_orders) tr.children[7].classList.add("overdue");
        if (r.report_status === "missing" || r.report_status === "late") tr.children[8].classList.add("overdue");
        return tr;
      }));
      var t = data.totals;
      var foot = row(table, [fill(say.totalsLabel, {n: number(t.agencies)}), "", buckets(t.states, data.labels), "", "", "",
                             outagesText(t.open_outages, t.outage_since, 0),
                             number(t.open_work_orders) + (t.overdue_work_orders ? " · " +
                               fill(WORDS.overdue, {n: number(t.overdue_work_orders)}) : ""), ""]);
      table.querySelector("tfoot").replaceChildren(foot);
    }
    render(pageData("overview-data"));
    refresh(table.dataset.url, render);
  }

  // A list of one text line per item, or the list's own words for none (data-none).
  function lines(list, items, text) {
    var nodes = items.map(function (item) { return element("li", text(item)); });
    list.replaceChildren.apply(list, nodes.length ? nodes : [element("li", list.dataset.none || WORDS.none, "muted")]);
  }

  // Who is on an outage: the technician of its work order, or that nobody is yet.
  function handling(order) {
    if (!order) return WORDS.unhandled;
    return order.assignee ? fill(WORDS.handled, {name: order.assignee, status: order.status_label}) : WORDS.unassigned;
  }

  // The agency page's tables: its assets (every one on hand, trouble first), open outages, the next 30 days' work.
  function agencyTables(data) {
    ["24h", "7d", "30d"].forEach(function (w) { figure(document.getElementById("a" + w), data.availability[w], w); });
    totalsLine(document.getElementById("assets-totals"), data.asset_totals.states, data.asset_totals.assets, data.labels);
    var table = document.getElementById("assets");
    var tbody = table.querySelector("tbody");
    tbody.replaceChildren.apply(tbody, data.assets.length ? data.assets.map(function (a) {
      var note = [a.since ? WORDS.since + " " + moment(a.since) : "", a.reason_label].filter(Boolean).join(" · ");
      var tr = row(table, [a.name, a.kind_label, a.site || "", badge(a.state, a.state_label), note,
                           a.last_rtt_ms === null ? "" : number(a.last_rtt_ms, 1) + " ms"]);
      tr.dataset.state = a.state;
      return tr;
    }) : [row(table, [table.dataset.none])]);
    lines(document.getElementById("outages"), data.outages, function (o) {
      return [o.asset, WORDS.since + " " + moment(o.started_at), duration(o.duration_s),
              o.cause ? WORDS.cause + ": " + o.cause : WORDS.noCause,
              o.took_down ? fill(WORDS.tookDown, {n: number(o.took_down)}) : "", handling(o.work_order)]
        .filter(Boolean).join(" · ");
    });
    var upcoming = document.getElementById("upcoming");
    lines(upcoming, data.upcoming, function (w) {
      var at = w.starts_at ? moment(w.starts_at) + " – " + moment(w.ends_at) : day(w.due_date);
      return [at, w.title, w.status_label].join(" · ");
    });
    data.upcoming.forEach(function (w, i) { if (w.overdue) upcoming.children[i].classList.add("overdue"); });
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
          .bindTooltip(element("span", site.name + " (" + (site.state_label || site.state) + ")"))  // a node, not HTML
          .addTo(markers);
        bounds.push([site.lat, site.lon]);
      });
      if (bounds.length && !fitted) { map.fitBounds(bounds, {padding: [30, 30], maxZoom: 12}); fitted = true; }
      agencyTables(data);
    }
    render(pageData("detail-data"));
    refresh(mapBox.dataset.url, render);
  }

  var table = document.getElementById("overview");
  if (table) overview(table);
  var mapBox = document.getElementById("map");
  if (mapBox) agency(mapBox);
})();
