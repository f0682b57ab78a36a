/* INTROSERV chat widget: one <script src=".../static/widget.js"> tag embeds it on any page.
   Optional data attributes on the script tag: data-locale, data-customer-id, data-customer-hash. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(script.src, location.href).origin;
  var STORE = "introserv-chat-token";

  function load(src, done) {
    if (window.io) return done();
    var s = document.createElement("script"); s.src = src; s.onload = done; document.head.appendChild(s);
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;  // always text: never HTML from the network
    return e;
  }

  var css = "#isv-chat-bubble{position:fixed;right:20px;bottom:20px;width:60px;height:60px;border-radius:50%;" +
    "background:#0b3d91;color:#fff;border:0;font-size:28px;cursor:pointer;box-shadow:0 2px 8px #0004;z-index:2147483000}" +
    "#isv-chat{position:fixed;right:20px;bottom:90px;width:360px;max-width:calc(100vw - 40px);height:480px;" +
    "max-height:calc(100vh - 120px);background:#fff;border-radius:10px;box-shadow:0 4px 18px #0005;display:none;" +
    "flex-direction:column;font:14px system-ui,sans-serif;z-index:2147483000}" +
    "#isv-chat.open{display:flex}#isv-chat header{background:#0b3d91;color:#fff;padding:10px 14px;border-radius:10px 10px 0 0}" +
    "#isv-log{flex:1;overflow-y:auto;padding:10px}#isv-log .m{margin:6px 0;padding:8px 10px;border-radius:8px;white-space:pre-wrap}" +
    "#isv-log .customer{background:#dbe7ff;margin-left:40px}#isv-log .bot{background:#f0f2f5;margin-right:40px}" +
    "#isv-log .ack{background:#eef8ee;font-style:italic}#isv-log .ticket{background:#fff6d6}#isv-log .agent{background:#e6f4ff}" +
    "#isv-log .question{background:#f7efff}#isv-log .error{background:#ffe3e3}" +
    "#isv-chat form{display:flex;border-top:1px solid #ddd}#isv-chat input{flex:1;border:0;padding:12px;font:inherit}" +
    "#isv-chat button[type=submit]{border:0;background:#0b3d91;color:#fff;padding:0 16px;border-radius:0 0 10px 0}";

  function start() {
    var style = el("style"); style.textContent = css; document.head.appendChild(style);
    var bubble = el("button", {id: "isv-chat-bubble", "aria-label": "Chat"}, "💬");
    var panel = el("section", {id: "isv-chat", "aria-live": "polite"});
    var head = el("header", {}, "INTROSERV");
    var log = el("div", {id: "isv-log"});
    var form = el("form");
    var input = el("input", {id: "isv-input", autocomplete: "off", maxlength: "4000"});
    var send = el("button", {type: "submit"}, "➤");
    form.appendChild(input); form.appendChild(send);
    panel.appendChild(head); panel.appendChild(log); panel.appendChild(form);
    document.body.appendChild(panel); document.body.appendChild(bubble);
    bubble.addEventListener("click", function () { panel.classList.toggle("open"); input.focus(); });

    var seen = {};
    function show(m) {
      if (m.id && seen[m.id]) return;
      if (m.id) seen[m.id] = true;
      var cls = m.author === "customer" ? "customer" : m.author === "agent" ? "agent" : "bot " + (m.kind || "");
      var d = el("div", {"class": "m " + cls, "data-kind": m.kind || "", "data-author": m.author || ""}, m.text);
      log.appendChild(d); log.scrollTop = log.scrollHeight;
    }

    var auth = {token: localStorage.getItem(STORE) || undefined,
                locale: script.dataset.locale || (navigator.language || "en").slice(0, 2)};
    if (script.dataset.customerId) { auth.customer_id = script.dataset.customerId; auth.customer_hash = script.dataset.customerHash; }
    var socket = io(base + "/chat", {auth: auth, transports: ["websocket", "polling"]});
    socket.on("session", function (s) {
      localStorage.setItem(STORE, s.token); auth.token = s.token;
      socket.emit("history", {}, function (res) { (res.messages || []).forEach(show); });
    });
    socket.on("message", show);
    socket.on("error", function (e) { show({author: "system", kind: "error", text: e.message}); });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var text = input.value.trim(); if (!text) return;
      input.value = "";
      socket.emit("message", {text: text}, function (ack) {
        if (ack && ack.error) show({author: "system", kind: "error", text: ack.error.message});
        else show({id: "c" + ack.id, author: "customer", kind: "text", text: text});
      });
    });
  }

  load(base + "/static/vendor/socket.io.min.js", function () {
    if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
  });
})();
