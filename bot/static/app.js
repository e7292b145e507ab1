// 이음 web chat. The user id is a random secret kept in localStorage (like a session token).
(function () {
  "use strict";
  var KEY = "ieum.user_id";
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var sendButton = document.getElementById("send");
  var busy = false;

  function userId() {
    var id = null;
    try { id = localStorage.getItem(KEY); } catch (e) { /* private mode */ }
    if (!id) {
      id = (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
        : String(Date.now()) + Math.random().toString(16).slice(2);
      try { localStorage.setItem(KEY, id); } catch (e) { /* ignore */ }
    }
    return id;
  }

  function linkify(text, parent) {
    // Phone numbers become tappable tel: links; everything else stays plain text.
    var re = /(\b1350\b|\b0\d{1,2}-\d{3,4}-\d{4}\b|\b1\d{3}-\d{4}\b)/g;
    var last = 0, m;
    while ((m = re.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var a = document.createElement("a");
      a.href = "tel:" + m[0].replace(/-/g, "");
      a.textContent = m[0];
      parent.appendChild(a);
      last = m.index + m[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function bubble(kind) {
    var div = document.createElement("div");
    div.className = "bubble " + kind;
    log.appendChild(div);
    return div;
  }

  function renderCard(card, parent) {
    var box = document.createElement("div");
    box.className = "card";
    var h = document.createElement("h2");
    h.textContent = card.title;
    box.appendChild(h);
    if (card.description) { var p = document.createElement("p"); linkify(card.description, p); box.appendChild(p); }
    if (card.address) { var ad = document.createElement("p"); ad.textContent = "주소: " + card.address; box.appendChild(ad); }
    if (card.phone) {
      var ph = document.createElement("p");
      ph.appendChild(document.createTextNode("전화: "));
      var a = document.createElement("a");
      a.href = "tel:" + card.phone.replace(/[^0-9+]/g, "");
      a.textContent = card.phone;
      ph.appendChild(a);
      box.appendChild(ph);
    }
    if (card.url) {
      var link = document.createElement("a");
      link.href = card.url; link.target = "_blank"; link.rel = "noopener";
      link.textContent = "누리집 열기";
      box.appendChild(link);
    }
    parent.appendChild(box);
  }

  function renderReply(reply, isError) {
    var div = bubble("bot" + (isError ? " error" : ""));
    if (reply.card) {
      renderCard(reply.card, div);
    } else {
      linkify(reply.text || "", div);
    }
    if (reply.buttons && reply.buttons.length) {
      var group = document.createElement("div");
      group.className = "buttons";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "선택지");
      reply.buttons.forEach(function (b) {
        var btn = document.createElement("button");
        btn.type = "button";
        btn.className = "choice";
        btn.textContent = b.title;
        btn.addEventListener("click", function () { send(b.payload, b.title); });
        group.appendChild(btn);
      });
      div.appendChild(group);
    }
  }

  function send(text, shown, silent) {
    if (busy || !text || !text.trim()) { return; }
    busy = true;
    sendButton.disabled = true;
    if (!silent) { bubble("me").textContent = shown || text; }
    var typing = bubble("bot typing");
    typing.textContent = "답변을 준비하고 있어요…";
    log.scrollIntoView({ block: "end" });
    fetch("/api/messages", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user_id: userId(), text: text })
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (body) {
        return { ok: resp.ok, body: body, status: resp.status };
      });
    }).then(function (res) {
      typing.remove();
      var replies = res.body.replies || [];
      if (!replies.length && res.body.error) { replies = [{ text: res.body.error }]; }
      replies.forEach(function (r) { renderReply(r, !res.ok); });
    }).catch(function () {
      typing.remove();
      renderReply({ text: "연결이 끊겼어요. 인터넷 연결을 확인하고 다시 보내 주세요. 급하시면 1350으로 전화해 주세요." }, true);
    }).then(function () {
      busy = false;
      sendButton.disabled = false;
      var buttons = log.querySelectorAll(".bubble:last-child .choice");
      (buttons.length ? buttons[0] : input).focus();
      window.scrollTo(0, document.body.scrollHeight);
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = input.value;
    if (!text.trim()) { return; }
    input.value = "";
    send(text);
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); form.requestSubmit(); }
  });
  document.getElementById("restart").addEventListener("click", function () { send("/restart", "처음으로"); });
  document.getElementById("human").addEventListener("click", function () { send("/request_human", "상담사 연결"); });

  send("/greet", null, true);
})();
