/* INTROSERV agent console. Talks to /agent/api/* (login) and the Socket.IO namespace /agent
   (docs/agents.md). Texts come from /i18n/console/<lang>.json. Whatever a visitor wrote is put on
   the page with textContent only: it is shown, never interpreted. */
(function () {
  "use strict";
  var LANGS = ["fr", "pl", "es", "de", "en"];
  var SECTIONS = ["waiting", "mine", "others", "bot"];
  var DETAILS = ["ip", "order", "service", "start_time"];
  var $ = function (id) { return document.getElementById(id); };
  var T = {}, uiLang = "en", socket = null, me = null, teams = [];
  var current = null, currentEntry = null, visitorSeen = 0, entries = [], shown = {}, seenUpTo = 0, refreshTimer = null, typingSince = 0, typingTimer = null;

  function t(key, params) {
    return String(T[key] || key).replace(/\{(\w+)\}/g, function (m, k) { return params && params[k] != null ? params[k] : m; });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;  // visitor text stays text
    return e;
  }

  function clock(iso) {
    return new Intl.DateTimeFormat(uiLang, {hour: "2-digit", minute: "2-digit"}).format(new Date(iso));
  }

  function langName(code) {
    try { return new Intl.DisplayNames([uiLang], {type: "language"}).of(code); } catch (e) { return code; }
  }

  function pickLang() {
    var asked = new URLSearchParams(location.search).get("lang");
    var wanted = [asked].concat(navigator.languages || [navigator.language]);
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i] || "").slice(0, 2).toLowerCase();
      if (LANGS.indexOf(code) >= 0) return code;
    }
    return "en";
  }

  function loadTexts() {
    uiLang = pickLang();
    document.documentElement.lang = uiLang;
    return fetch("/i18n/console/" + uiLang + ".json").then(function (r) { return r.json(); }).then(function (b) {
      T = b.texts;
      document.title = t("title");
      document.querySelectorAll("[data-t]").forEach(function (n) { n.textContent = t(n.dataset.t); });
    });
  }

  /* ---- login ---- */

  function showLogin(message) {
    if (socket) { socket.disconnect(); socket = null; }
    clearInterval(start.ticker);
    $("app").hidden = true; $("login").hidden = false;
    $("login-error").textContent = message || "";
    $("email").focus();
  }

  function login(ev) {
    ev.preventDefault();
    var body = JSON.stringify({email: $("email").value, password: $("password").value});
    fetch("/agent/api/login", {method: "POST", headers: {"Content-Type": "application/json"}, body: body})
      .then(function (r) { return r.json().then(function (b) { return {status: r.status, body: b}; }); })
      .then(function (res) {
        if (res.status === 200) { $("password").value = ""; return start(res.body.agent); }
        var e = res.body.error || {};
        $("login-error").textContent = e.code === "throttled" ? t("throttled", {seconds: e.retry_after}) : t("invalid_credentials");
      })
      .catch(function () { $("login-error").textContent = t("internal"); });
  }

  function logout() {
    fetch("/agent/api/logout", {method: "POST"}).finally(function () { showLogin(""); });
  }

  /* ---- live connection ---- */

  function start(agent) {
    me = agent;
    $("login").hidden = true; $("app").hidden = false;
    $("me").textContent = agent.name;
    socket = io("/agent", {transports: ["websocket", "polling"]});
    socket.on("connect", function () { $("connection").textContent = ""; $("app").classList.remove("offline"); });
    socket.on("hello", function (h) { me = h.agent; teams = h.teams; fillTeams(); refreshQueue(); if (current) openConversation(current); });
    socket.on("disconnect", function (reason) {
      $("connection").textContent = t("reconnecting"); $("app").classList.add("offline");
      if (reason === "io server disconnect") checkSession();
    });
    socket.on("connect_error", checkSession);
    socket.on("session_expired", function () { showLogin(t("session_expired")); });
    socket.on("queue.changed", scheduleRefresh);
    socket.on("conversation.message", function (e) {
      if (e.conversation_id !== current) return;
      addMessage(e.message);
      if (e.message.author === "customer") { $("typing").hidden = true; markRead(); }
    });
    socket.on("conversation.typing", function (e) {
      if (e.conversation_id !== current) return;
      clearTimeout(typingTimer);
      $("typing").hidden = !e.typing;
      if (e.typing) typingTimer = setTimeout(function () { $("typing").hidden = true; }, 8000);
    });
    socket.on("conversation.read", function (e) { if (e.conversation_id === current) showSeen(e.up_to); });
    socket.on("conversation.changed", function (e) { if (e.conversation_id === current) openConversation(current, true); });
    clearInterval(start.ticker);
    start.ticker = setInterval(scheduleRefresh, 30000);  // due times turn overdue without any event
  }

  function checkSession() {
    fetch("/agent/api/me").then(function (r) { if (r.status === 401) showLogin(t("session_expired")); });
  }

  function call(event, data) {
    return new Promise(function (resolve) {
      socket.timeout(10000).emit(event, data || {}, function (err, res) {
        resolve(err ? {error: {code: "internal", params: {}}} : res);
      });
    });
  }

  function showError(res) {
    var e = res && res.error;
    $("error").textContent = e ? t(e.code, e.params) : "";
    if (e && e.code === "unauthorized") showLogin(t("session_expired"));
    return !e;
  }

  /* ---- queue ---- */

  // One re-read soon after a change, and not pushed back by the changes that follow it: on a busy
  // site the notices never stop long enough for a re-read that waits for quiet.
  function scheduleRefresh() {
    if (refreshTimer) return;  // the re-read already due will show this change too
    refreshTimer = setTimeout(function () { refreshTimer = null; refreshQueue(); }, 150);
  }

  function refreshQueue() {
    if (!socket) return;
    call("queue").then(function (res) { if (!res.error) { entries = res.conversations; renderQueue(); } });
  }

  function who(e) { return e.customer ? e.customer.name : t("visitor"); }

  function renderQueue() {
    var box = $("sections"), focused = document.activeElement && document.activeElement.dataset.id;
    box.textContent = "";
    var waiting = 0;
    SECTIONS.forEach(function (name) {
      var items = entries.filter(function (e) { return e.section === name; });
      if (name === "waiting") waiting = items.length;
      var section = el("section", "section section-" + name);
      var head = el("h3", null, t("section_" + name) + " ");
      head.appendChild(el("span", "count", String(items.length)));
      section.appendChild(head);
      var list = el("ul");
      items.forEach(function (e) { list.appendChild(queueItem(e)); });
      section.appendChild(list);
      if (!items.length) section.appendChild(el("p", "empty", t("empty_section")));
      box.appendChild(section);
    });
    document.title = (waiting ? "(" + waiting + ") " : "") + t("title");
    if (focused) { var again = box.querySelector('[data-id="' + CSS.escape(focused) + '"]'); if (again) again.focus(); }
  }

  function queueItem(e) {
    var li = el("li"), b = el("button", "item" + (e.overdue ? " overdue" : "") + (e.priority === "high" ? " high" : ""));
    b.type = "button"; b.dataset.id = e.conversation_id;
    if (e.conversation_id === current) b.setAttribute("aria-current", "true");
    var line = el("span", "line");
    line.appendChild(el("strong", null, who(e)));
    line.appendChild(el("span", "tag lang", e.lang.toUpperCase()));
    line.appendChild(el("span", "tag " + (e.verified ? "ok" : "warn"), t(e.verified ? "verified" : "not_verified")));
    b.appendChild(line);
    var facts = el("span", "line small");
    if (e.reason) facts.appendChild(el("span", null, t("reason_" + e.reason)));
    if (e.priority === "high") facts.appendChild(el("span", "tag high", t("priority_high")));
    if (e.ticket) facts.appendChild(el("span", "tag", t("ticket", {number: e.ticket.number})));
    if (e.due_at) facts.appendChild(el("span", e.overdue ? "due late" : "due", t(e.overdue ? "overdue" : "due", {time: clock(e.due_at)})));
    if (e.holder && e.section === "others") facts.appendChild(el("span", null, t("held_by", {name: e.holder.name})));
    b.appendChild(facts);
    var details = DETAILS.filter(function (k) { return e.details[k]; }).map(function (k) { return e.details[k]; });
    if (details.length) b.appendChild(el("span", "line small collected", details.join(" · ")));
    if (e.last_message) b.appendChild(el("span", "line preview", e.last_message.text));
    b.addEventListener("click", function () { openConversation(e.conversation_id, false, true); });
    li.appendChild(b);
    return li;
  }

  function moveInQueue(ev) {
    if (!ev.target.classList.contains("item") || (ev.key !== "ArrowDown" && ev.key !== "ArrowUp")) return;
    var items = Array.prototype.slice.call(document.querySelectorAll("#sections .item"));
    var next = items[items.indexOf(ev.target) + (ev.key === "ArrowDown" ? 1 : -1)];
    if (next) { ev.preventDefault(); next.focus(); }
  }

  /* ---- one conversation ---- */

  function openConversation(id, keepError, byHand) {
    return call("open", {conversation_id: id}).then(function (res) {
      if (res.error) return showError(res);
      var first = current !== id;
      current = id;
      if (!keepError) $("error").textContent = "";
      renderHeader(res.conversation);
      renderCanned(res.canned);
      if (first) { shown = {}; seenUpTo = 0; visitorSeen = 0; $("log").textContent = ""; $("typing").hidden = true; }
      res.messages.forEach(addMessage);
      if (res.conversation.visitor_read_id) showSeen(res.conversation.visitor_read_id);
      $("placeholder").hidden = true; $("conv").hidden = false;
      document.querySelectorAll("#sections .item").forEach(function (b) {
        if (b.dataset.id === id) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
      });
      markRead();
      // Opened from the list: the next step is at hand (take it, or answer it) without the mouse.
      if (byHand) { if (!$("take").hidden) $("take").focus(); else if (!$("reply").disabled) $("reply").focus(); }
    });
  }

  function holding(e) { return e.section === "mine"; }

  function renderHeader(e) {
    currentEntry = e;
    $("conv").dataset.section = e.section;
    $("c-customer").textContent = who(e) + (e.customer ? " (" + e.customer.external_id + ")" : "");
    $("c-verified").textContent = t(e.verified ? "verified" : "not_verified");
    $("c-verified").className = "tag " + (e.verified ? "ok" : "warn");
    $("c-lang").textContent = t("language") + ": " + langName(e.lang);
    $("c-ticket").textContent = e.ticket ? t("ticket", {number: e.ticket.number}) + " · " + t("team_" + e.ticket.team) +
      " · " + t("priority_" + e.ticket.priority) : t("no_ticket");
    $("c-reason").textContent = e.reason ? t("reason_" + e.reason) : "";
    $("c-reason").hidden = !e.reason;
    $("c-holder").textContent = e.holder ? t("held_by", {name: e.holder.name}) : "";
    $("c-holder").hidden = !e.holder;
    var mine = holding(e), admin = me && me.role === "admin";
    $("take").hidden = e.section !== "waiting" && e.section !== "bot";
    $("hand-back").hidden = $("close").hidden = !(mine || (admin && e.section === "others"));
    $("convert").hidden = !(mine || (admin && e.section === "others"));
    $("reply").disabled = !mine;
    $("composer").querySelector("button").disabled = !mine;
    $("canned").hidden = !mine;
    if (!mine) $("convert-form").hidden = true;
    var dl = $("c-details");
    dl.textContent = "";
    var keys = DETAILS.filter(function (k) { return e.details[k]; });
    keys.forEach(function (k) {
      dl.appendChild(el("dt", null, t("detail_" + k)));
      dl.appendChild(el("dd", null, k === "start_time" ? new Date(e.details[k]).toLocaleString(uiLang) : String(e.details[k])));
    });
    if (!keys.length) dl.appendChild(el("dd", "empty", t("no_details")));
  }

  function renderCanned(list) {
    var box = $("canned-buttons");
    box.textContent = "";
    (list || []).forEach(function (c) {
      var b = el("button", "canned-answer", c.text);
      b.type = "button";
      b.addEventListener("click", function () {
        var reply = $("reply");
        reply.value = reply.value ? reply.value.replace(/\s*$/, " ") + c.text : c.text;
        reply.focus();
      });
      box.appendChild(b);
    });
  }

  function addMessage(m) {
    if (shown[m.id]) return;
    var li = el("li", "msg author-" + m.author + " kind-" + m.kind);
    li.dataset.id = m.id; li.dataset.author = m.author;
    var name = m.author === "agent" ? (m.agent_name || t("author_agent")) : t("author_" + m.author);
    var meta = el("span", "meta", name + " · " + clock(m.created_at));
    li.appendChild(meta);
    li.appendChild(el("div", "text", m.text));
    var log = $("log"), after = null, rows = log.children;
    for (var i = rows.length - 1; i >= 0; i--) { if (Number(rows[i].dataset.id) < m.id) { after = rows[i]; break; } }
    if (after) after.after(li); else log.prepend(li);
    shown[m.id] = li;
    if (m.author === "agent") { $("typing").hidden = true; if (visitorSeen >= m.id) showSeen(visitorSeen); }
    log.scrollTop = log.scrollHeight;
  }

  function showSeen(upTo) {
    visitorSeen = Math.max(visitorSeen, upTo);
    upTo = visitorSeen;
    document.querySelectorAll("#log .seen").forEach(function (n) { n.remove(); });
    var agentRows = Array.prototype.filter.call($("log").children, function (li) {
      return li.dataset.author === "agent" && Number(li.dataset.id) <= upTo;
    });
    if (agentRows.length) agentRows[agentRows.length - 1].appendChild(el("span", "seen", "✓ " + t("seen")));
  }

  function markRead() {
    if (!current || document.hidden || !currentEntry || !holding(currentEntry)) return;
    var newest = 0;
    Object.keys(shown).forEach(function (id) { if (shown[id].dataset.author === "customer") newest = Math.max(newest, Number(id)); });
    if (newest > seenUpTo) { seenUpTo = newest; call("read", {conversation_id: current, up_to: newest}); }
  }

  function act(event, extra) {
    if (!current) return Promise.resolve();
    var data = Object.assign({conversation_id: current}, extra || {});
    return call(event, data).then(function (res) {
      showError(res);
      refreshQueue();
      return openConversation(current, true).then(function () { return res; });
    });
  }

  function send(ev) {
    ev.preventDefault();
    var reply = $("reply"), text = reply.value.trim();
    if (!text || !current) return;
    var clientId = "a" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    reply.disabled = true;
    call("send", {conversation_id: current, text: text, client_id: clientId}).then(function (res) {
      reply.disabled = false;
      if (showError(res)) { reply.value = ""; addMessage(res.message); typingSince = 0; }
      reply.focus();
    });
  }

  function typing() {
    var now = Date.now();
    if (!current || !socket) return;
    if (!typingSince || now - typingSince > 3000) { typingSince = now; call("typing", {conversation_id: current, typing: true}); }
    clearTimeout(typing.stop);
    typing.stop = setTimeout(function () { typingSince = 0; call("typing", {conversation_id: current, typing: false}); }, 4000);
  }

  function fillTeams() {
    var select = $("convert-team");
    select.textContent = "";
    teams.forEach(function (team) { var o = el("option", null, t("team_" + team)); o.value = team; select.appendChild(o); });
  }

  /* ---- wiring ---- */

  function wire() {
    $("login-form").addEventListener("submit", login);
    $("logout").addEventListener("click", logout);
    $("sections").addEventListener("keydown", moveInQueue);
    $("composer").addEventListener("submit", send);
    $("reply").addEventListener("input", typing);
    $("reply").addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); $("composer").requestSubmit(); }
      if (ev.key === "Escape") $("reply").blur();
    });
    $("take").addEventListener("click", function () {
      act("take").then(function (res) { if (res && res.ok) $("reply").focus(); });
    });
    $("hand-back").addEventListener("click", function () { act("hand_back"); });
    $("close").addEventListener("click", function () { act("close"); });
    $("convert").addEventListener("click", function () { $("convert-form").hidden = false; $("convert-team").focus(); });
    $("convert-cancel").addEventListener("click", function () { $("convert-form").hidden = true; $("convert").focus(); });
    $("convert-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      act("convert", {team: $("convert-team").value, priority: $("convert-priority").value, note: $("convert-note").value})
        .then(function (res) { if (res && res.ok) { $("convert-form").hidden = true; $("convert-note").value = ""; } });
    });
    document.addEventListener("keydown", function (ev) {
      if (!ev.altKey || $("app").hidden) return;
      var key = ev.key.toLowerCase();
      if (key === "q") { ev.preventDefault(); var first = document.querySelector("#sections .item"); if (first) first.focus(); }
      if (key === "r" && !$("reply").disabled) { ev.preventDefault(); $("reply").focus(); }
    });
    document.addEventListener("visibilitychange", markRead);
  }

  loadTexts().then(function () {
    wire();
    return fetch("/agent/api/me").then(function (r) {
      if (r.status !== 200) return showLogin("");
      return r.json().then(function (b) { start(b.agent); });
    });
  });
})();
