// Live chat, both sides: tell the other side when this person is typing, clear the box once a line
// is sent, keep the newest line in view, and run the hold notice's countdown.
(function () {
  "use strict";
  var TYPING_FOR_MS = 3000;
  var lastInput = 0;
  var lastTold = 0;
  var poll = document.querySelector("[data-chat-poll]");
  var log = document.getElementById("chat-messages");

  document.querySelectorAll("[data-chat-form] textarea").forEach(function (box) {
    box.addEventListener("input", function () {
      // Typing is told at once and then every few seconds while it goes on (the heartbeat the
      // other side's "typing…" lives on); a poll that is on its way carries it too.
      lastInput = Date.now();
      if (lastInput - lastTold >= TYPING_FOR_MS && poll) {
        lastTold = lastInput;
        htmx.trigger(poll, "chat:typing");
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

  if (log) {
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target === log) log.scrollTop = log.scrollHeight;
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
