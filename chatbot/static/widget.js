/* INTROSERV chat widget. One tag embeds it on any page:
     <script src="https://chat.example/static/widget.js" defer></script>
   Optional data attributes: data-locale="pl", data-customer-id + data-customer-hash (client area).
   It lives in a shadow root (the host page's CSS cannot break it, nor it the page), loads the
   official Socket.IO client and its stylesheet from the same server, and takes every text from the
   server's catalogues (/i18n/widget/<lang>.json) in the visitor's language. Everything that came
   from the network is shown with textContent: never as HTML. Protocol: docs/protocol.md. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__introservChat) return;
  window.__introservChat = true;
  var origin = new URL(script.src, location.href).origin;
  var LANGS = ["fr", "pl", "es", "de", "en"];
  var TOKEN = "introserv-chat-token", OPEN = "introserv-chat-open";
  var TICKET_NUMBER = /T-\d{6,}/;

  function storage(kind) { try { return window[kind]; } catch (e) { return null; } }
  function get(kind, key) { var s = storage(kind); return s ? s.getItem(key) : null; }
  function put(kind, key, value) { var s = storage(kind); if (s) { if (value == null) s.removeItem(key); else s.setItem(key, value); } }

  function pickLang() {
    var wanted = [script.dataset.locale].concat(navigator.languages || [navigator.language]);
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i] || "").slice(0, 2).toLowerCase();
      if (LANGS.indexOf(code) >= 0) return code;
    }
    return "en";
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;  // text only, whatever it contains
    return e;
  }

  function icon(path) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24"); svg.setAttribute("aria-hidden", "true");
    var p = document.createElementNS("http://www.w3.org/2000/svg", "path");
    p.setAttribute("d", path); svg.appendChild(p);
    return svg;
  }

  function fill(template, params) {
    return String(template || "").replace(/\{(\w+)\}/g, function (m, k) { return params[k] != null ? params[k] : m; });
  }

  function loadScript(src, done) {
    if (window.io) return done();
    var s = document.createElement("script"); s.src = src; s.onload = done; document.head.appendChild(s);
  }

  function Widget() {
    this.lang = pickLang();
    this.texts = {};
    this.shown = {};       // message id -> row
    this.pending = {};     // client id -> {row, text}
    this.readUpTo = 0;     // the agent has read the visitor's messages up to this id
    this.seenUpTo = 0;     // the visitor has been told we saw up to this id
    this.unread = 0;
    this.build();
  }

  Widget.prototype.t = function (key, params) { return fill(this.texts[key] || "", params || {}); };

  Widget.prototype.loadTexts = function (lang, then) {
    var self = this;
    if (self.textsLang === lang) { if (then) then(); return; }
    self.textsLang = lang;
    fetch(origin + "/i18n/widget/" + lang + ".json", {credentials: "omit"})
      .then(function (r) { return r.json(); })
      .then(function (body) { self.texts = body.texts; self.lang = lang; self.relabel(); if (then) then(); })
      .catch(function () { self.textsLang = null; if (then) then(); });
  };

  Widget.prototype.build = function () {
    var self = this;
    var host = el("div"); host.id = "introserv-chat"; host.hidden = true;
    var root = host.attachShadow({mode: "open"});
    var css = el("link"); css.rel = "stylesheet"; css.href = origin + "/static/widget.css";
    css.onload = function () { host.hidden = false; };
    root.appendChild(css);
    var bubble = el("button", "bubble"); bubble.type = "button";
    bubble.setAttribute("aria-expanded", "false"); bubble.setAttribute("aria-controls", "isv-panel");
    bubble.appendChild(icon("M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"));
    var badge = el("span", "badge"); badge.hidden = true; bubble.appendChild(badge);
    var panel = el("section", "panel"); panel.id = "isv-panel"; panel.hidden = true;
    panel.setAttribute("role", "dialog");
    var head = el("header"), titles = el("div", "titles");
    var title = el("h2", "title"), status = el("p", "status");
    status.setAttribute("role", "status");
    var close = el("button", "close", "×"); close.type = "button";
    titles.appendChild(title); titles.appendChild(status); head.appendChild(titles); head.appendChild(close);
    var log = el("div", "log"); log.setAttribute("role", "log"); log.setAttribute("aria-live", "polite");
    var typing = el("p", "typing"); typing.hidden = true;
    var closed = el("div", "closed"); closed.hidden = true;
    var closedText = el("p"), restart = el("button", "restart"); restart.type = "button";
    closed.appendChild(closedText); closed.appendChild(restart);
    var form = el("form", "composer");
    var input = el("textarea"); input.rows = 1; input.maxLength = 4000;
    var send = el("button", "send"); send.type = "submit";
    send.appendChild(icon("M3 20.5 21 12 3 3.5 3 10l12 2-12 2z"));
    form.appendChild(input); form.appendChild(send);
    [head, log, typing, closed, form].forEach(function (n) { panel.appendChild(n); });
    root.appendChild(panel); root.appendChild(bubble);
    document.body.appendChild(host);
    this.ui = {host: host, bubble: bubble, badge: badge, panel: panel, title: title, status: status, close: close,
               log: log, typing: typing, closed: closed, closedText: closedText, restart: restart,
               form: form, input: input, send: send};

    bubble.addEventListener("click", function () { self.setOpen(panel.hidden); });
    close.addEventListener("click", function () { self.setOpen(false); bubble.focus(); });
    panel.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { self.setOpen(false); bubble.focus(); }
    });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); self.submit(); });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); self.submit(); }
    });
    input.addEventListener("input", function () { self.autosize(); self.typingNow(); });
    restart.addEventListener("click", function () { self.restart(); });
    document.addEventListener("visibilitychange", function () { self.markSeen(); });
    this.loadTexts(this.lang, function () { self.setStatus("connecting"); });
    if (get("sessionStorage", OPEN) === "1") this.setOpen(true);
  };

  Widget.prototype.relabel = function () {
    var u = this.ui, self = this;
    u.bubble.setAttribute("aria-label", this.t("open"));
    u.panel.setAttribute("aria-label", this.t("title"));
    u.title.textContent = this.t("title");
    u.close.setAttribute("aria-label", this.t("close"));
    u.input.placeholder = this.t("placeholder");
    u.input.setAttribute("aria-label", this.t("placeholder"));
    u.send.setAttribute("aria-label", this.t("send"));
    u.closedText.textContent = this.t("closed");
    u.restart.textContent = this.t("new_conversation");
    u.badge.setAttribute("aria-label", this.t("unread"));
    this.setStatus(this.state || "connecting");
    Object.keys(this.shown).forEach(function (id) { self.label(self.shown[id]); });
    Object.keys(this.pending).forEach(function (cid) { self.mark(self.pending[cid].row, self.pending[cid].state); });
  };

  Widget.prototype.setStatus = function (state) {
    this.state = state;
    this.ui.status.textContent = this.t(state === "online" ? "subtitle" : state);
    this.ui.panel.classList.toggle("offline", state !== "online");
  };

  Widget.prototype.setOpen = function (open) {
    this.ui.panel.hidden = !open;
    this.ui.bubble.setAttribute("aria-expanded", String(open));
    this.ui.host.classList.toggle("open", open);
    this.ui.bubble.classList.toggle("open", open);
    put("sessionStorage", OPEN, open ? "1" : null);
    if (open) {
      this.unread = 0; this.ui.badge.hidden = true;
      this.ui.input.focus(); this.scroll(); this.markSeen();
    }
  };

  Widget.prototype.autosize = function () {
    var i = this.ui.input; i.style.height = "auto"; i.style.height = Math.min(i.scrollHeight, 120) + "px";
  };

  Widget.prototype.scroll = function () { this.ui.log.scrollTop = this.ui.log.scrollHeight; };

  /* ---- messages ---- */

  Widget.prototype.label = function (row) {
    var m = row._message, tag = row.querySelector(".label");
    if (!tag) return;
    var number = (row._ticket && row._ticket.number) || (TICKET_NUMBER.exec(m.text || "") || [])[0];
    var key = {ack: "received", question: "question"}[m.kind] ||
              (m.author === "agent" ? "agent" : m.author === "customer" ? "you" : "assistant");
    tag.textContent = m.kind === "ticket" && number ? this.t("ticket", {number: number}) : this.t(key);
  };

  Widget.prototype.row = function (m) {
    var cls = m.author === "system" ? "notice" : m.author;
    var row = el("div", "msg " + cls + " kind-" + (m.kind || "text"));
    row.dataset.author = m.author || ""; row.dataset.kind = m.kind || "";
    if (m.id != null) row.dataset.id = m.id;
    row._message = m;
    if (m.author !== "system") row.appendChild(el("span", "label"));
    row.appendChild(el("div", "text", m.text));
    if (m.author === "customer") row.appendChild(el("span", "state"));
    this.label(row);
    return row;
  };

  Widget.prototype.show = function (m, live) {
    if (m.id != null && this.shown[m.id]) return this.shown[m.id];
    var row = this.row(m), log = this.ui.log;
    // Keep the conversation's order even when a reconnect brings older messages late.
    var after = null;
    if (m.id != null) {
      var rows = log.querySelectorAll(".msg[data-id]");
      for (var i = rows.length - 1; i >= 0; i--) {
        if (Number(rows[i].dataset.id) < m.id) { after = rows[i]; break; }
      }
    }
    if (after) after.after(row); else if (m.id != null && log.firstChild) log.prepend(row); else log.appendChild(row);
    if (m.id != null) this.shown[m.id] = row;
    if (m.author === "customer") this.mark(row, m.id <= this.readUpTo ? "read" : "sent");
    if (m.author === "agent") this.ui.typing.hidden = true;
    if (m.kind === "closed") this.ui.closed.hidden = false;
    if (live && m.author !== "customer" && this.ui.panel.hidden) {
      this.unread += 1; this.ui.badge.textContent = String(this.unread); this.ui.badge.hidden = false;
    }
    if (m.lang && m.lang !== this.lang && LANGS.indexOf(m.lang) >= 0 && m.author !== "customer") this.loadTexts(m.lang);
    this.scroll(); this.markSeen();
    return row;
  };

  Widget.prototype.mark = function (row, state) {
    var tag = row.querySelector(".state");
    row.classList.toggle("failed", state === "failed");
    if (tag) tag.textContent = this.t(state === "pending" ? "sending" : state);
    if (row._pending) row._pending.state = state;
  };

  Widget.prototype.markSeen = function () {
    if (!this.socket || this.ui.panel.hidden || document.visibilityState === "hidden") return;
    var newest = 0, self = this;
    Object.keys(this.shown).forEach(function (id) {
      if (self.shown[id]._message.author !== "customer") newest = Math.max(newest, Number(id));
    });
    if (newest > this.seenUpTo) { this.seenUpTo = newest; this.socket.emit("read", {up_to: newest}); }
  };

  Widget.prototype.read = function (upTo) {
    this.readUpTo = Math.max(this.readUpTo, upTo);
    var self = this;
    Object.keys(this.shown).forEach(function (id) {
      var row = self.shown[id];
      if (row._message.author === "customer" && Number(id) <= self.readUpTo) self.mark(row, "read");
    });
  };

  /* ---- sending ---- */

  Widget.prototype.submit = function () {
    var text = this.ui.input.value.trim();
    if (!text) return;
    this.ui.input.value = ""; this.autosize();
    this.ui.closed.hidden = true;
    var clientId = "w" + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    var row = this.row({author: "customer", kind: "text", text: text});
    row._pending = this.pending[clientId] = {row: row, text: text, state: "pending"};
    this.ui.log.appendChild(row); this.scroll();
    this.mark(row, "pending");
    this.typingStop();
    this.deliver(clientId);
  };

  Widget.prototype.deliver = function (clientId) {
    var self = this, p = this.pending[clientId];
    if (!p || !this.socket || !this.socket.connected) return;  // sent again on reconnect
    this.mark(p.row, "pending");
    this.socket.timeout(15000).emit("message", {text: p.text, client_id: clientId}, function (err, ack) {
      if (err) return;  // no answer: the reconnect resends it, the client id makes that safe
      if (ack && ack.error) {
        self.mark(p.row, "failed");
        p.row.title = ack.error.message;
        p.row.onclick = function () { p.row.onclick = null; self.deliver(clientId); };
        return;
      }
      delete self.pending[clientId];
      p.row.onclick = null;
      var existing = self.shown[ack.id];
      if (existing && existing !== p.row) existing.remove();
      p.row.dataset.id = ack.id; p.row._message.id = ack.id; self.shown[ack.id] = p.row;
      self.mark(p.row, ack.id <= self.readUpTo ? "read" : "sent");
    });
  };

  Widget.prototype.typingNow = function () {
    var self = this, now = Date.now();
    if (!this.socket || !this.socket.connected) return;
    if (!this.typingSince || now - this.typingSince > 3000) { this.typingSince = now; this.socket.emit("typing", {typing: true}); }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(function () { self.typingStop(); }, 4000);
  };

  Widget.prototype.typingStop = function () {
    clearTimeout(this.typingTimer);
    if (this.typingSince && this.socket && this.socket.connected) this.socket.emit("typing", {typing: false});
    this.typingSince = 0;
  };

  /* ---- connection ---- */

  Widget.prototype.connect = function () {
    var self = this;
    var auth = {locale: script.dataset.locale || this.lang};
    if (get("localStorage", TOKEN)) auth.token = get("localStorage", TOKEN);
    if (script.dataset.customerId) { auth.customer_id = script.dataset.customerId; auth.customer_hash = script.dataset.customerHash; }
    var socket = this.socket = window.io(origin + "/chat", {auth: auth, transports: ["websocket", "polling"]});
    socket.on("session", function (s) {
      // Another conversation than the one shown (its token was refused): show the new one, keeping
      // what the visitor has typed but not yet sent. A conversation with no message yet is not
      // "resumed" but keeps its id, so nothing is lost then.
      if (self.conversationId && s.conversation_id !== self.conversationId) self.clear(true);
      self.conversationId = s.conversation_id;
      auth.token = s.token; put("localStorage", TOKEN, s.token);
      self.setStatus("online");
      if (s.lang && s.lang !== self.lang) self.loadTexts(s.lang);
      socket.emit("history", {}, function (res) {
        (res && res.messages || []).forEach(function (m) { self.show(m, false); });
        Object.keys(self.pending).forEach(function (cid) { self.deliver(cid); });
      });
    });
    socket.on("message", function (m) { self.show(m, true); });
    socket.on("ticket", function (t) {
      Object.keys(self.shown).forEach(function (id) {
        var row = self.shown[id];
        if (row._message.kind === "ticket" && (row._message.text || "").indexOf(t.number) >= 0) { row._ticket = t; self.label(row); }
      });
    });
    socket.on("typing", function (t) {
      var typing = self.ui.typing;
      clearTimeout(self.typingHide);
      typing.textContent = self.t("typing", {name: t.name || self.t("agent")});
      typing.hidden = !t.typing;
      if (t.typing) self.typingHide = setTimeout(function () { typing.hidden = true; }, 8000);
    });
    socket.on("read", function (r) { if (typeof r.up_to === "number") self.read(r.up_to); });
    socket.on("error", function (e) {
      if (e && e.code !== "invalid_token") self.show({author: "system", kind: "error", text: e.message}, true);
    });
    socket.on("disconnect", function (reason) {
      self.setStatus("reconnecting");
      if (reason === "io server disconnect") setTimeout(function () { socket.connect(); }, 3000);
    });
    socket.on("connect_error", function () { self.setStatus("reconnecting"); });
  };

  Widget.prototype.clear = function (keepPending) {
    var pending = keepPending ? this.pending : {};
    this.shown = {}; this.pending = pending; this.readUpTo = 0; this.seenUpTo = 0;
    while (this.ui.log.firstChild) this.ui.log.removeChild(this.ui.log.firstChild);
    Object.keys(pending).forEach(function (cid) { this.ui.log.appendChild(pending[cid].row); }, this);
    this.ui.closed.hidden = true; this.ui.typing.hidden = true;
  };

  Widget.prototype.restart = function () {
    put("localStorage", TOKEN, null);
    delete this.socket.auth.token;
    this.conversationId = null;
    this.clear(false);
    this.socket.disconnect().connect();
    this.ui.input.focus();
  };

  function start() {
    var widget = new Widget();
    loadScript(origin + "/static/vendor/socket.io.min.js", function () { widget.connect(); });
  }

  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
