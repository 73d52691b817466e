// Live chat, both sides: tell the other side when this person is typing, clear the box once a line
// is sent, keep the newest line in view, and run the hold notice's countdown. With push, the
// other side's lines and typing come in the chat's events and are shown here without a request
// (helpdesk.chat_live); this page's typing goes by a small request of its own (its signed key),
// and it asks with its poll only when a line does not follow on from the last one it shows.
(function () {
  "use strict";
  var TYPING_FOR_MS = 3000;
  var lastInput = 0;
  var lastTold = 0;
  var poll = document.querySelector("[data-chat-poll]");
  var log = document.getElementById("chat-messages");
  function pushed() {
    var live = window.helpdeskLive; // live.js, loaded beside this script
    return Boolean(live && live.connected && poll && poll.hasAttribute("data-live-channel"));
  }
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }
  function tellTyping() {
    if (pushed() && poll.dataset.typingKey) {
      var body = new URLSearchParams({ key: poll.dataset.typingKey });
      fetch(poll.dataset.typingUrl, {
        method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() },
      }).catch(function () { /* the next heartbeat, or the poll, says it again */ });
    } else {
      htmx.trigger(poll, "chat:typing"); // a poll on its way carries it
    }
  }

  document.querySelectorAll("[data-chat-form] textarea").forEach(function (box) {
    box.addEventListener("input", function () {
      // Typing is told at once and then every few seconds while it goes on (the heartbeat the
      // other side's "typing…" lives on); a poll that is on its way carries it too.
      lastInput = Date.now();
      if (lastInput - lastTold >= TYPING_FOR_MS && poll) {
        lastTold = lastInput;
        tellTyping();
      }
    });
    // Enter sends, Shift+Enter starts a new line (as in every chat).
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        if (box.value.trim()) box.form.requestSubmit();
      }
    });
  });

  if (poll) {
    poll.addEventListener("htmx:configRequest", function (event) {
      if (Date.now() - lastInput < TYPING_FOR_MS) event.detail.parameters.typing = "1";
    });
  }

  document.body.addEventListener("chat:sent", function () {
    document.querySelectorAll("[data-chat-form]").forEach(function (form) { form.reset(); });
    lastInput = lastTold = 0;
  });

  // A line may come twice (its event, then a poll that was already on its way): shown once.
  function tidyLog() {
    var seen = {};
    log.querySelectorAll("[data-entry]").forEach(function (line) {
      if (seen[line.dataset.entry]) line.remove();
      seen[line.dataset.entry] = true;
    });
    log.scrollTop = log.scrollHeight;
  }
  if (log) {
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target === log) tidyLog();
    });
    document.body.addEventListener("htmx:oobAfterSwap", function (event) {
      if (event.detail.target === log) tidyLog();
    });
  }

  // The chat's events, shown here: the other side's typing (until it goes stale, or its line
  // comes), and a line that follows on from the last one this page shows. Anything else (a gap:
  // an event missed while reconnecting) is left to live.js, which makes the poll ask.
  var typingText = document.getElementById("chat-typing");
  var typingGoesStale = null;
  function showTyping(name, staleAfter) {
    window.clearTimeout(typingGoesStale);
    typingText.textContent = name ? poll.dataset.typingText.replace("{name}", name) : "";
    if (name) typingGoesStale = window.setTimeout(function () { typingText.textContent = ""; }, staleAfter * 1000);
  }
  var sending = 0;
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.matches && event.detail.elt.matches("[data-chat-form]")) sending += 1;
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt.matches && event.detail.elt.matches("[data-chat-form]")) sending = Math.max(0, sending - 1);
  });
  function followed(channel) {
    return (" " + (poll.dataset.liveChannel || "") + " ").indexOf(" " + channel + " ") >= 0;
  }
  if (poll && log && typingText) {
    var side = poll.dataset.chatSide;
    var cursor = function () { return document.getElementById("chat-cursor"); };
    document.addEventListener("live:event", function (event) {
      var message = event.detail;
      if (!followed(message.channel)) return;
      var data = message.data || {};
      if (message.name === "typing") {
        if (data.side !== side) showTyping(data.typing ? data.name : "", data.stale_after || 6);
        event.preventDefault(); // this page's own typing: nothing to show
      } else if (message.name === "line") {
        var shown = Number(cursor().value);
        // Its own line, shown already, or on its way in the answer to its send (which may come
        // after the line's event; an answer that cannot show it makes the poll ask).
        if (data.entry <= shown || (data.side === side && sending > 0)) { event.preventDefault(); return; }
        if (data.side !== side) showTyping("", 0); // the line ends the other side's typing
        var line = data[side];
        if (!line || String(line.previous) !== String(shown)) return; // a gap: the poll asks
        log.insertAdjacentHTML("beforeend", line.html);
        cursor().value = data.entry;
        tidyLog();
        event.preventDefault();
      }
    });
  }

  // The countdown ticks every second for the eye; it is a role="timer" (not announced on every
  // tick): the polite status above it says once when the agent will be back.
  function pad(number) { return (number < 10 ? "0" : "") + number; }
  function tick() {
    document.querySelectorAll("[data-countdown-until]").forEach(function (timer) {
      var left = Math.round((Date.parse(timer.dataset.countdownUntil) - Date.now()) / 1000);
      timer.textContent = left > 0
        ? Math.floor(left / 60) + ":" + pad(left % 60)
        : timer.dataset.countdownDone;
    });
  }
  tick();
  window.setInterval(tick, 1000);
  document.body.addEventListener("htmx:afterSettle", tick);

  // When a hold runs out nothing happens on the server until a page asks: the page that is not
  // polling (its push channel is open) looks again at that moment, and the agent is reminded.
  var lookAgain = null;
  function scheduleLookAgain() {
    window.clearTimeout(lookAgain);
    var due = [];
    document.querySelectorAll("[data-look-again-at], [data-countdown-until]").forEach(function (element) {
      var at = Date.parse(element.dataset.lookAgainAt || element.dataset.countdownUntil);
      if (at > Date.now()) due.push(at);
    });
    if (poll && due.length) {
      lookAgain = window.setTimeout(function () {
        htmx.trigger(poll, "live");
      }, Math.min.apply(null, due) - Date.now() + 500);
    }
  }
  scheduleLookAgain();
  document.body.addEventListener("htmx:afterSettle", scheduleLookAgain);
})();
