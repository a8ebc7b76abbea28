/* Simpul province map: every agency's seat (large circle, labelled) and every site (small circle), coloured by
   the worst state of their assets, on a plain frame with a degree grid. It reads without any tile server;
   tiles, when the deployment configures them, only add detail beneath.

   Names reach the map as DOM nodes built with textContent (Leaflet would put a string in as HTML). The colours,
   tooltips and legend refresh from the page's data-url on the dashboard's period, without a reload; the points
   stay where the page placed them (a new agency or site shows on the next load). */
"use strict";
(function () {
  var box = document.getElementById("province-map");
  if (!box || !window.L) return;
  var COLORS = {up: "#1a7f37", degraded: "#bf8700", down: "#cf222e", unreachable: "#cf222e",
                unknown: "#6e7781", maintenance: "#0969da"};
  var data = JSON.parse(document.getElementById("province-map-data").textContent);
  var say = box.dataset;
  var REFRESH_MS = window.SIMPUL_REFRESH_MS || 30000;  // the dashboard's; tests shorten it

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function tip(lines) {
    var node = element("div", undefined, "pm-tip");
    node.appendChild(element("strong", lines[0]));
    lines.slice(1).forEach(function (line) { node.appendChild(element("div", line)); });
    return node;
  }

  // "BPBD Kabupaten Penajam Paser Utara" reads as "Kab. Penajam Paser Utara" on the map; the tooltip says it all.
  function shortName(name) {
    return name.replace(/^BPBD /, "").replace(/^Kabupaten /, "Kab. ").replace(/^Provinsi /, "Prov. ");
  }

  function label(latlng, text, className) {
    // A text node in a div icon: no HTML string, no pointer events, so it never hides a marker from the hand.
    return L.marker(latlng, {interactive: false, keyboard: false,
                             icon: L.divIcon({html: element("span", text), className: className, iconSize: null})});
  }

  var placed = data.agencies.filter(function (a) { return a.lat !== null; });
  var points = placed.map(function (a) { return [a.lat, a.lon]; })
    .concat(data.sites.map(function (s) { return [s.lat, s.lon]; }));
  if (!points.length) return;
  var map = L.map(box, {zoomSnap: 0.25, zoomControl: false, attributionControl: Boolean(say.tileUrl)});
  L.control.zoom({position: "topright"}).addTo(map);  // the top left names the province
  if (say.tileUrl) L.tileLayer(say.tileUrl, {maxZoom: 18, attribution: "&copy; OpenStreetMap"}).addTo(map);
  // Points all at one place have no extent to fit (Leaflet would zoom to NaN): give the frame a few km at least.
  var frame = L.latLngBounds(points), centre = frame.getCenter();
  frame = frame.extend([centre.lat - 0.1, centre.lng - 0.1]).extend([centre.lat + 0.1, centre.lng + 0.1]).pad(0.2);
  map.fitBounds(frame);  // a view first: Leaflet draws no layer on a map without one
  L.rectangle(frame, {color: "#57606a", weight: 1.5, fillColor: "#f6f8fa", fillOpacity: say.tileUrl ? 0 : 1,
                      interactive: false}).addTo(map);

  // The degree grid, labelled along the west and south edges: where a point lies, without a tile.
  var south = frame.getSouth(), north = frame.getNorth(), west = frame.getWest(), east = frame.getEast();
  var grid = {color: "#c4c9d0", weight: 1, dashArray: "4 4", interactive: false};
  for (var lat = Math.ceil(south); lat <= north; lat++) {
    L.polyline([[lat, west], [lat, east]], grid).addTo(map);
    label([lat, west], lat === 0 ? "0°" : Math.abs(lat) + "° " + (lat > 0 ? say.north : say.south), "pm-grid")
      .addTo(map);
  }
  for (var lon = Math.ceil(west); lon <= east; lon++) {
    L.polyline([[south, lon], [north, lon]], grid).addTo(map);
    label([south, lon], lon + "° " + say.east, "pm-grid pm-grid-lon").addTo(map);
  }
  if (say.title) label([north, west], say.title, "pm-title").addTo(map);

  // Markers, agencies first: each keeps its true place unless an earlier one covers it (a city and the province
  // share a capital; a warehouse stands a kilometre from its office), then it moves to the nearest free spot
  // around it, tied to its true place by a thin line. Every marker stays visible and can be pointed at.
  var items = [], byKey = {};
  function add(key, lat, lon, radius, options) {
    var marker = L.circleMarker([lat, lon], L.extend({radius: radius, fillOpacity: 1}, options));
    var item = {real: L.latLng(lat, lon), radius: radius, marker: marker, kind: options.className,
                leader: L.polyline([], {color: "#57606a", weight: 1, interactive: false}).addTo(map)};
    items.push(item);
    byKey[key] = item;
    return item;
  }
  function agencyLines(a) {
    var counts = a.counts.map(function (c) { return c.count + " " + c.label.toLowerCase(); }).join(" · ");
    return [a.name, a.state_label, counts || say.noAssets];
  }
  function siteLines(s) { return [s.name, s.agency, s.state_label]; }

  // A marker's colour, class (pm-<state>, which tests and styles read) and tooltip, as the data says now.
  function paint(item, state, lines) {
    if (!item) return;
    item.marker.setStyle({fillColor: COLORS[state] || COLORS.unknown});
    item.marker.options.className = item.kind + " pm-" + state;
    var path = item.marker.getElement();
    if (path) path.setAttribute("class", item.kind + " pm-" + state + " leaflet-interactive");
    if (item.marker.getTooltip()) item.marker.setTooltipContent(tip(lines));
    else item.marker.bindTooltip(tip(lines));
  }

  placed.forEach(function (a) {
    var item = add("agency:" + a.code, a.lat, a.lon, 10, {color: "#1b1f24", weight: 2, className: "pm-agency"});
    item.label = label([a.lat, a.lon], shortName(a.name), "pm-label").addTo(map);
  });
  data.sites.forEach(function (s) {
    add("site:" + s.id, s.lat, s.lon, 6, {color: "#fff", weight: 1.5, className: "pm-site"});
  });
  items.forEach(function (item) { item.marker.addTo(map); });

  function render(fresh) {
    fresh.agencies.forEach(function (a) { paint(byKey["agency:" + a.code], a.state, agencyLines(a)); });
    fresh.sites.forEach(function (s) { paint(byKey["site:" + s.id], s.state, siteLines(s)); });
    fresh.legend.forEach(function (row) {
      var text = document.querySelector('#province-legend li[data-state="' + row.state + '"] .pm-legend-text');
      if (text) text.textContent = row.text;
    });
  }
  render(data);
  if (say.url) {
    setInterval(function () {
      fetch(say.url, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(render)
        .catch(function () { /* keep the last colours; try again on the next tick */ });
    }, REFRESH_MS);
  }

  function layout() {
    var taken = [];
    function clash(point, radius) {
      return taken.some(function (t) { return t.point.distanceTo(point) < t.radius + radius + 3; });
    }
    items.forEach(function (item) {
      var home = map.latLngToContainerPoint(item.real), point = home;
      for (var step = 1; clash(point, item.radius) && step < 96; step++) {
        var ring = Math.ceil(step / 8), angle = step * Math.PI / 4 + ring * 0.4;
        point = home.add(L.point(Math.cos(angle), Math.sin(angle)).multiplyBy(ring * (item.radius + 8)));
      }
      taken.push({point: point, radius: item.radius});
      var at = map.containerPointToLatLng(point);
      item.marker.setLatLng(at);
      item.leader.setLatLngs(point === home ? [] : [item.real, at]);
    });
  }

  // Names: beside their marker where they cover no other name or seat and stay inside the map (right, left,
  // below, above, then further up and down), so seats close together (a province and its capital city) stay
  // readable. A name with no such place is left out until a zoom makes room; its tooltip still says it.
  function placeNames() {
    var size = map.getSize(), boxes = [];
    items.forEach(function (item) {
      if (!item.label) return;  // a name may lie over a small site dot (it lets the pointer through), not a seat
      var p = map.latLngToContainerPoint(item.marker.getLatLng()), r = item.radius + 1;
      boxes.push({left: p.x - r, top: p.y - r, right: p.x + r, bottom: p.y + r});
    });
    function inside(box) {
      return box.left >= 0 && box.top >= 0 && box.right <= size.x && box.bottom <= size.y;
    }
    function free(box) {
      return inside(box) && !boxes.some(function (o) {
          return box.left < o.right && o.left < box.right && box.top < o.bottom && o.top < box.bottom;
        });
    }
    items.forEach(function (item) {
      if (!item.label) return;
      var span = item.label.getElement().firstChild, w = span.offsetWidth, h = span.offsetHeight;
      var p = map.latLngToContainerPoint(item.marker.getLatLng()), r = item.radius + 3;
      var spots = [[p.x + r, p.y - h / 2], [p.x - r - w, p.y - h / 2], [p.x - w / 2, p.y + r],
                   [p.x - w / 2, p.y - r - h]];
      [1, -1, 2, -2, 3, -3, 4, -4].forEach(function (n) {
        spots.push([p.x + r, p.y - h / 2 + n * h], [p.x - r - w, p.y - h / 2 + n * h]);
      });
      var boxOf = function (spot) { return {left: spot[0], top: spot[1], right: spot[0] + w, bottom: spot[1] + h}; };
      var spot = spots.filter(function (s) { return free(boxOf(s)); })[0];
      span.style.visibility = spot ? "visible" : "hidden";
      if (!spot) return;
      boxes.push(boxOf(spot));
      item.label.setLatLng(map.containerPointToLatLng(L.point(spot[0], spot[1])));
    });
  }
  map.on("zoomend", function () { layout(); placeNames(); });
  layout();
  placeNames();
})();
