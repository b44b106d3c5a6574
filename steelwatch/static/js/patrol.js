/* The grid officer's phone page: position from the browser, and a queue in the phone (IndexedDB) that keeps
   each check-in with its photos until the server has taken it. A check-in is saved first, then sent; when the
   network fails it stays and is sent again on load, when the phone comes back online, every 30 s, or on
   "立即发送". Each carries its own client_ref, so a check-in sent twice (a lost answer) is recorded once.
   Messages come from the data-msg-* attributes of #queue (translated in the template). */
(function () {
  "use strict";
  var DB = "steelwatch-patrol", STORE = "check-ins", sending = false, msg = {};

  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no indexedDB")); return; }
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, {keyPath: "ref"}); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function store(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }
  var all = function () { return store("readonly", function (s) { return s.getAll(); }); };
  var put = function (entry) { return store("readwrite", function (s) { return s.put(entry); }); };
  var drop = function (ref) { return store("readwrite", function (s) { return s.delete(ref); }); };

  function newRef() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function cardStatus(entry, text) {
    var card = document.getElementById(entry.card);
    if (!card) return;
    card.querySelector(".send-status").textContent = text;
    var summary = card.querySelector("summary");
    if (summary && entry.done) {  // done: the card folds to its result line
      summary.textContent = text;
      card.classList.add("done");
      card.querySelector("details").open = false;
    }
  }

  function render() {
    return all().then(function (entries) {
      var box = document.getElementById("queue"), list = document.getElementById("queue-list");
      document.getElementById("queue-count").textContent = String(entries.length);
      box.hidden = entries.length === 0;
      list.textContent = "";
      entries.sort(function (a, b) { return a.created < b.created ? -1 : 1; }).forEach(function (entry) {
        var item = document.createElement("li");
        item.className = "queued";
        item.dataset.ref = entry.ref;
        item.textContent = entry.site + " · " + entry.created.slice(11, 16) + " · " +
          (entry.refused ? msg.msgRefused + "：" + entry.refused : msg.msgKept);
        if (entry.refused) {
          var discard = document.createElement("button");
          discard.type = "button";
          discard.textContent = msg.msgDiscard;
          discard.addEventListener("click", function () { drop(entry.ref).then(render); });
          item.appendChild(document.createTextNode(" "));
          item.appendChild(discard);
        }
        list.appendChild(item);
      });
    });
  }

  function send(entry) {
    var body = new FormData();
    entry.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    entry.photos.forEach(function (photo) { body.append("photos", photo.blob, photo.name); });
    return fetch(entry.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": csrf(), "Accept": "application/json"}
    }).then(function (response) {
      if (response.status >= 500 || response.status === 408 || response.status === 429) throw new Error("retry");
      return response.json().then(function (answer) { return {ok: response.ok, answer: answer}; });
    });
  }

  function flush() {
    if (sending) return Promise.resolve();
    sending = true;
    return all().then(function (entries) {
      var waiting = entries.filter(function (e) { return !e.refused; });
      return waiting.reduce(function (chain, entry) {
        return chain.then(function () {
          return send(entry).then(function (result) {
            if (result.ok) {
              entry.done = true;
              cardStatus(entry, msg.msgSent + "：" + result.answer.message);
              return drop(entry.ref);
            }
            entry.refused = result.answer.message || String(result.status);
            cardStatus(entry, entry.refused);
            return put(entry);
          });
        });
      }, Promise.resolve());
    }).catch(function () { /* offline or a weak connection: kept for the next try */ })
      .then(function () { sending = false; return render(); });
  }

  function locate(form) {
    var status = form.querySelector(".locate-status");
    if (!navigator.geolocation) { status.textContent = msg.msgNoGeo; return; }
    status.textContent = msg.msgLocating;
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.latitude.value = pos.coords.latitude.toFixed(6);
      form.elements.longitude.value = pos.coords.longitude.toFixed(6);
      form.elements.accuracy_m.value = String(Math.round(pos.coords.accuracy * 10) / 10);
      form.elements.coord_system.value = "wgs84";  // the W3C Geolocation API gives WGS-84
      status.textContent = msg.msgLocated.replace("{m}", form.elements.accuracy_m.value);
    }, function () { status.textContent = msg.msgNoGeo; }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  }

  function queue(form) {
    var status = form.querySelector(".send-status");
    if (!form.elements.latitude.value || !form.elements.longitude.value || !form.elements.accuracy_m.value) {
      status.textContent = msg.msgPosition;
      return;
    }
    form.elements.checked_at.value = new Date().toISOString();
    form.elements.client_ref.value = newRef();
    var entry = {
      ref: form.elements.client_ref.value, action: form.action, site: form.dataset.site,
      card: form.closest("article").id, created: form.elements.checked_at.value, fields: [], photos: []
    };
    new FormData(form).forEach(function (value, name) {
      if (value instanceof File) {
        if (value.size) entry.photos.push({name: value.name, blob: new Blob([value], {type: value.type})});
      } else if (name !== "csrfmiddlewaretoken") {
        entry.fields.push([name, value]);
      }
    });
    put(entry).then(function () {
      status.textContent = msg.msgSaved;
      form.reset();
      return flush();
    }, function () {  // private mode or no IndexedDB: send as a plain form
      status.textContent = msg.msgNoStore;
      form.submit();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("queue");
    if (!box) return;
    msg = box.dataset;
    document.querySelectorAll("form.check-in").forEach(function (form) {
      form.addEventListener("submit", function (event) { event.preventDefault(); queue(form); });
      form.querySelector(".locate").addEventListener("click", function () { locate(form); });
      form.closest("details").addEventListener("toggle", function (event) {
        if (event.target.open && !form.elements.latitude.value) locate(form);
      });
    });
    document.getElementById("queue-send").addEventListener("click", flush);
    window.addEventListener("online", flush);
    window.setInterval(flush, 30000);
    flush();
  });
})();
