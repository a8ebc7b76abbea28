/* The technician pages without signal (README, "Bekerja tanpa sinyal").

   Online, with nothing waiting, the forms post as usual. Offline (or while earlier work still waits), a form
   marked data-offline is not posted: its action goes into a queue in IndexedDB, with an idempotency key made
   here, and the page shows it as "menunggu sinkron (N)". When the connection returns the queue is sent to
   the API in the order it was made, one action at a time, each with its key, so an action whose answer was
   lost is sent again and applied once (maintenance.idempotency). An action the server refuses (the order
   went to somebody else, or was finished) is dropped from the queue and shown with the server's reason; a
   network failure, a 5xx or a 429 stops the round and keeps the rest, in order, for the next one.

   The service worker (sw.js) keeps copies of the pages; this script also stores the pages of my open orders
   on each visit, so that they open on the hill. Texts come translated from the page (data-text-*). */
(function () {
  "use strict";
  var root = document.getElementById("offline");
  if (!root || !window.indexedDB) return;
  var CACHE = "simpul-lapangan-v1";
  var texts = root.dataset;
  var user = root.dataset.user;
  var summary = document.getElementById("summary");
  var here = summary && summary.dataset.offlineOrder;
  var pending = 0;
  var flushing = false;

  // ---- IndexedDB: two stores, "actions" (the queue, in order) and "refused" (what the server turned down).
  var opened = new Promise(function (resolve, reject) {
    var request = indexedDB.open("simpul-lapangan", 1);
    request.onupgradeneeded = function () {
      request.result.createObjectStore("actions", {keyPath: "id", autoIncrement: true});
      request.result.createObjectStore("refused", {keyPath: "id", autoIncrement: true});
    };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });
  function store(name, mode, work) {
    return opened.then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var result = work(tx.objectStore(name));
        tx.oncomplete = function () { resolve(result && result.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function mine(name) {
    return store(name, "readonly", function (s) { return s.getAll(); }).then(function (rows) {
      return rows.filter(function (row) { return row.user === user; });
    });
  }
  function put(name, row) { return store(name, "readwrite", function (s) { return s.add(row); }); }
  function drop(name, id) { return store(name, "readwrite", function (s) { return s.delete(id); }); }

  function newKey() {
    if (window.crypto.randomUUID) return window.crypto.randomUUID();
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    var field = document.querySelector("[name=csrfmiddlewaretoken]");
    return match ? decodeURIComponent(match[1]) : (field ? field.value : "");
  }
  function hours(value) {  // "1,5 jam" on an Indonesian page, "1.5 hours" on an English one
    return Number(value).toLocaleString(document.documentElement.lang || undefined) + " " + texts.textHours;
  }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // ---- What a form becomes in the queue. Returns null when the form is not ready to be queued.
  function actionOf(form) {
    var kind = form.dataset.offline;
    var fields = {};
    var label = form.dataset.offlineLabel;
    if (kind === "tick") {
      fields.done = form.elements.done.value === "1";
      label = (fields.done ? texts.textTick : texts.textUntick) + ": " + label;
    } else if (kind === "hold") {
      fields.note = form.elements.note.value;
    } else if (kind === "log") {
      fields.hours = form.elements.hours.value;
      fields.description = form.elements.description.value;
      label += ": " + hours(fields.hours);
    } else if (kind === "finish") {
      fields.resolution = form.elements.resolution.value;
      if (form.elements.asset_status.value) fields.asset_status = form.elements.asset_status.value;
      fields.skipped = [];
      var missing = null;
      form.querySelectorAll("input[data-item]").forEach(function (input) {
        input.setCustomValidity("");
        if (ticked(input.dataset.item)) return;
        if (input.value.trim()) fields.skipped.push({item: Number(input.dataset.item), reason: input.value.trim()});
        else if (!missing) missing = input;
      });
      if (missing) {
        missing.setCustomValidity(texts.textReason);
        missing.reportValidity();
        missing.addEventListener("input", function () { missing.setCustomValidity(""); }, {once: true});
        return null;
      }
    }
    var action = {
      user: user, key: newKey(), order: here, title: summary.dataset.offlineTitle,
      assignee: summary.dataset.offlineAssignee, kind: kind, url: form.dataset.offlineApi,
      label: label, fields: fields, at: Date.now()
    };
    if (kind === "attach") {
      var file = form.elements.file.files[0];
      action.file = file;  // IndexedDB keeps the photo itself (a Blob), not a path to it
      action.fileName = file.name;
      action.fields = {caption: form.elements.caption.value};
      action.label += ": " + (action.fields.caption || file.name);
    }
    return action;
  }
  function ticked(itemId) {
    var box = document.querySelector("#checklist input[name=item][value='" + itemId + "']");
    var check = box && box.form.querySelector("input[type=checkbox]");
    return Boolean(check && check.checked);
  }

  // ---- The page as it will be once the queue is applied: drawn from the queued actions of this order.
  function show(selector, visible) {
    document.querySelectorAll(selector).forEach(function (node) { node.hidden = !visible; });
  }
  function status(name, text) {
    var badge = summary.querySelector(".badge");
    badge.className = "badge wo-" + name;
    badge.textContent = text + " · " + texts.textWaiting;
  }
  function nothingYet(id) {  // the container, without its "Belum ada ..." line
    var container = document.getElementById(id);
    var empty = container.querySelector(":scope > p.muted");
    if (empty) empty.remove();
    return container;
  }
  function overlay(action) {
    if (action.order !== here) return;
    var mark = element("span", "muted pending-mark", texts.textWaiting);
    if (action.kind === "tick") {
      var box = document.querySelector("#checklist form[data-offline-api='" + action.url + "']");
      if (!box) return;
      box.querySelector("input[type=checkbox]").checked = action.fields.done;
      box.elements.done.value = action.fields.done ? "0" : "1";
      var old = box.parentNode.querySelector(".pending-mark");
      if (old) old.remove();
      box.parentNode.appendChild(mark);
    } else if (action.kind === "start") {
      status("in_progress", texts.textInProgress);
      show("#start-form", false); show("#hold, #finish-section", true);
    } else if (action.kind === "hold") {
      status("on_hold", texts.textOnHold);
      show("#start-form", true); show("#hold, #finish-section", false);
    } else if (action.kind === "finish") {
      status("done", texts.textDone);
      show("#start-form, #hold, #finish-section, #log-section, #attach-section", false);
      document.querySelectorAll("#checklist input[type=checkbox]").forEach(function (c) { c.disabled = true; });
    } else if (action.kind === "log") {
      var log = element("p", "pending", hours(action.fields.hours) + " · " + action.fields.description + " · ");
      log.appendChild(mark);
      nothingYet("history").prepend(log);
    } else if (action.kind === "attach") {
      var figure = element("figure", "photo pending");
      figure.appendChild(element("figcaption", "", (action.fields.caption || action.fileName) + " · " + texts.textWaiting));
      nothingYet("photos").appendChild(figure);
    }
  }

  // ---- The status box: offline banner, what waits, what was refused.
  function refresh() {
    show("#offline-banner", !navigator.onLine);
    return Promise.all([mine("actions"), mine("refused")]).then(function (lists) {
      var actions = lists[0], refused = lists[1];
      pending = actions.length;
      var list = document.getElementById("offline-queue");
      list.replaceChildren.apply(list, actions.map(function (a) { return element("li", "", a.title + " · " + a.label); }));
      document.getElementById("offline-count").textContent = texts.textPending.replace("{n}", String(pending));
      show("#offline-pending", pending > 0);
      var box = document.querySelector("#offline-refused ul");
      box.replaceChildren.apply(box, refused.map(function (r) {
        var item = element("li", "", r.title + " · " + r.label + ": ");
        item.appendChild(element("strong", "", r.message));
        return item;
      }));
      show("#offline-refused", refused.length > 0);
      return actions;
    });
  }

  // ---- Sending: in order, one at a time; refused ones are set aside with the server's reason.
  function reason(body) {
    if (!body || typeof body !== "object") return String(body || "");
    if (typeof body.detail === "string") return body.detail;
    var parts = [];
    (function walk(value) {
      if (typeof value === "string") parts.push(value);
      else if (value && typeof value === "object") Object.keys(value).forEach(function (k) { walk(value[k]); });
    })(body);
    return parts.join(" ");
  }
  function send(action) {
    var headers = {
      "Idempotency-Key": action.key, "X-CSRFToken": csrf(), "X-Expected-Assignee": action.assignee,
      "Accept": "application/json"
    };
    var body;
    if (action.file) {
      body = new FormData();
      body.append("file", action.file, action.fileName);
      body.append("caption", action.fields.caption);
    } else {
      body = JSON.stringify(action.fields);
      headers["Content-Type"] = "application/json";
    }
    return fetch(action.url, {method: "POST", headers: headers, body: body, credentials: "same-origin"}).then(
      function (response) {
        if (response.ok) return {applied: true};
        if (response.status === 401) return {stop: texts.textSession};
        if (response.status >= 500 || response.status === 429) return {stop: ""};
        return response.json().catch(function () { return {detail: response.statusText}; }).then(function (answer) {
          return {refused: reason(answer) || String(response.status)};
        });
      },
      function () { return {stop: ""}; }
    );
  }
  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    flushing = true;
    var sent = 0;
    var notice = document.getElementById("offline-stopped");
    function next(actions) {
      if (!actions.length) return null;
      var action = actions[0];
      return send(action).then(function (outcome) {
        if (outcome.stop !== undefined) {
          notice.textContent = outcome.stop;
          notice.hidden = !outcome.stop;
          return null;
        }
        sent += 1;
        var aside = outcome.refused === undefined ? Promise.resolve() : put("refused", {
          user: user, title: action.title, label: action.label, message: outcome.refused, at: Date.now()
        });
        return aside.then(function () { return drop("actions", action.id); }).then(function () {
          return next(actions.slice(1));
        });
      });
    }
    return mine("actions").then(next).then(function () {
      flushing = false;
      return refresh();
    }, function () { flushing = false; }).then(function (left) {
      // What the server now holds is the truth: show it, with what was refused still listed above.
      if (sent && left && !left.length) window.location.reload();
    });
  }

  // ---- Forms: posted as usual online with nothing waiting; otherwise queued.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.offline || (navigator.onLine && pending === 0)) return;
    event.preventDefault();
    var action = actionOf(form);
    if (!action) return;
    put("actions", action).then(function () {
      overlay(action);
      if (form.dataset.offline !== "tick") form.reset();
      return refresh();
    }).then(flush);
  });
  document.getElementById("offline-dismiss").addEventListener("click", function () {
    mine("refused").then(function (rows) {
      return Promise.all(rows.map(function (r) { return drop("refused", r.id); }));
    }).then(refresh);
  });
  window.addEventListener("online", function () { refresh().then(flush); });
  window.addEventListener("offline", refresh);

  // ---- Keeping pages for the hill: this page, what it loads, and the pages of my open orders.
  function keep() {
    if (!navigator.onLine || !window.caches) return Promise.resolve();
    // The page's own address comes from data-offline-page: a form answered with errors sits at its POST URL.
    var urls = [];
    document.querySelectorAll("link[rel=stylesheet], link[rel=manifest], script[src], img[src], [data-offline-page]")
      .forEach(function (node) { urls.push(node.href || node.src || node.dataset.offlinePage); });
    return caches.open(CACHE).then(function (cache) {
      return Promise.all(urls.map(function (url) {
        return fetch(url, {credentials: "same-origin"}).then(function (response) {
          if (response.ok && !response.redirected) return cache.put(url, response);
        }).catch(function () { /* kept from an earlier visit, or not at all */ });
      }));
    }).then(function () { root.dataset.kept = String(urls.length); });
  }

  // Kept pages are one person's: logging out here, or another login on this phone, drops them. The queue
  // stays (each action names its user) and goes out when its owner logs in again.
  var logout = document.querySelector("form[action='" + root.dataset.logout + "']");
  if (logout && window.caches) logout.addEventListener("submit", function (event) {
    event.preventDefault();
    caches.delete(CACHE).finally(function () { logout.submit(); });
  });
  var previous = window.localStorage.getItem("simpul-lapangan-user");
  window.localStorage.setItem("simpul-lapangan-user", user);
  var fresh = previous && previous !== user && window.caches ? caches.delete(CACHE) : Promise.resolve();

  if ("serviceWorker" in navigator) navigator.serviceWorker.register(root.dataset.sw).catch(function () {});
  Promise.all([refresh(), fresh]).then(function (done) {
    var actions = done[0];
    actions.forEach(overlay);
    return navigator.onLine && actions.length ? flush() : keep();
  });
})();
