// Live pages. A page with a push channel ([data-live-stream]) opens one server-sent events stream;
// an event on a channel makes the elements that show it ([data-live-channel~="chat:12"]) fetch
// as they do when polling (the htmx trigger "live"). While the stream is open their timed polls
// pause, but for a slow look every data-live-connected-poll seconds (the stream's, or the
// element's own when what it shows also changes with time) in case an event was lost;
// without it (no EventSource, a proxy that buffers, push turned off) they poll as before.
// A hidden tab does not poll at all (but for elements that must say "still here", which poll
// every data-live-hidden-poll seconds), and asks once for what it missed when shown again.
// An element whose poll says "still here" (the ticket page's #viewers) leaves that to the stream
// while it is open ([data-live-here-by-stream]): it then polls only while it shows something that
// goes stale without an event (the attribute's selector: a colleague, who may leave), and only
// while the tab is shown.
// An event is first offered to the page's own scripts ("live:event" on the document): one that
// carries what changed (a chat line, "typing": chat.js) is shown by them, with no request. The
// slow looks are spread out (each element's interval drawn anew, 80 to 120 %), and a stream that
// reconnects says the last event it saw: the server answers whether its channels have had any
// since, and only then does the page ask.
(function () {
  "use strict";
  if (window.helpdeskLive) return;
  var live = (window.helpdeskLive = { connected: false });
  var stream = document.querySelector("[data-live-stream]");
  var connectedPollMs = stream ? Number(stream.dataset.liveConnectedPoll) * 1000 : 0;
  var staleTimers = {};
  var lastEventId = stream ? stream.dataset.liveSince : "";
  function jittered(ms) { return ms * (0.8 + 0.4 * Math.random()); }

  function showing(channel) {
    return document.querySelectorAll('[data-live-channel~="' + channel + '"]');
  }
  // An element showing a busy channel (a status page, a chat waiting in line: a whole queue)
  // looks at most every data-live-at-most-every seconds for its events (for those of its
  // data-live-slow-channels only, when it names them): later events wait for that look.
  function throttled(element, channel) {
    var slow = element.dataset.liveSlowChannels;
    if (!channel) return false; // catching up after a reconnection or a hidden spell: at once
    return !slow || slow.split(/\s+/).indexOf(channel) >= 0;
  }
  function refresh(elements, channel) {
    elements.forEach(function (element) {
      var atMostEvery = throttled(element, channel) ? Number(element.dataset.liveAtMostEvery || 0) * 1000 : 0;
      var wait = (element.liveLastAsked || 0) + atMostEvery - Date.now();
      if (wait <= 0) { htmx.trigger(element, "live"); return; }
      if (element.liveLookPending) return;
      element.liveLookPending = window.setTimeout(function () {
        element.liveLookPending = null;
        htmx.trigger(element, "live");
      }, wait);
    });
  }
  function refreshAll() { refresh(document.querySelectorAll("[data-live-channel]")); }

  function onEvent(message) {
    var event = JSON.parse(message.data);
    if (message.lastEventId) lastEventId = message.lastEventId;
    var offered = new CustomEvent("live:event", { detail: event, cancelable: true });
    if (!document.dispatchEvent(offered)) return; // shown by the page's script
    refresh(showing(event.channel), event.channel);
    // "typing" goes stale: look again once it has, unless another heartbeat comes first.
    if (event.data && event.data.stale_after) {
      window.clearTimeout(staleTimers[event.channel]);
      staleTimers[event.channel] = window.setTimeout(function () {
        refresh(showing(event.channel), event.channel);
      }, event.data.stale_after * 1000);
    }
  }

  // The channels this page shows, added to the address (a customer's own stream ignores them:
  // its key decides what it follows).
  function streamUrl() {
    var channels = {};
    document.querySelectorAll("[data-live-channel]").forEach(function (element) {
      element.dataset.liveChannel.split(/\s+/).forEach(function (channel) { if (channel) channels[channel] = true; });
    });
    var query = Object.keys(channels).map(function (channel) { return "channel=" + encodeURIComponent(channel); });
    query.push("last=" + encodeURIComponent(lastEventId));
    var url = stream.dataset.liveStream;
    return url + (url.indexOf("?") < 0 ? "?" : "&") + query.join("&");
  }

  // EventSource reconnects by itself after the server's "retry:"; when it gives up (the server
  // refused, or answered 204: nothing to follow) the page polls. Our own reconnection waits
  // longer after each failure, so a server that is down is not asked every few seconds.
  var failures = 0;
  function connect() {
    var source = new EventSource(streamUrl());
    source.addEventListener("ready", function (message) {
      live.connected = true;
      failures = 0;
      // What happened on the page's channels while it was not connected (or between drawing the
      // page and opening its stream): asked for once.
      if (JSON.parse(message.data).missed) refreshAll();
    });
    source.onmessage = onEvent;
    source.onerror = function () {
      live.connected = false;
      if (source.readyState === EventSource.CLOSED) return;
      source.close();
      failures += 1;
      window.setTimeout(connect, Math.min(30, Math.pow(2, failures)) * 1000);
    };
  }
  if (stream && window.EventSource && document.querySelector("[data-live-channel]")) connect();

  // htmx's timed polls come without a triggering event: skip those that are not due.
  function polls(element) { return / ?every /.test(" " + (element.getAttribute("hx-trigger") || "")); }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var element = event.detail.elt;
    if (event.detail.requestConfig && event.detail.requestConfig.triggeringEvent) return;
    if (!polls(element)) return;
    var staleWhenShown = element.dataset.liveHereByStream;
    if (live.connected && staleWhenShown !== undefined) { // its first timed look too
      if (document.hidden || !(staleWhenShown && element.querySelector(staleWhenShown))) event.preventDefault();
      return;
    }
    if (!element.liveLastAsked) return; // its first look, on load
    // A second's slack: htmx's timer and the last request's time are never exactly apart.
    var waited = Date.now() - element.liveLastAsked + 1000;
    var due = true;
    if (document.hidden) {
      var hiddenPoll = Number(element.dataset.liveHiddenPoll || 0) * 1000;
      due = hiddenPoll > 0 && waited >= hiddenPoll;
    } else if (live.connected && element.hasAttribute("data-live-channel")) {
      if (!element.liveConnectedWait) {
        var ownPoll = element.dataset.liveConnectedPoll;
        element.liveConnectedWait = jittered(ownPoll ? Number(ownPoll) * 1000 : connectedPollMs);
      }
      due = waited >= element.liveConnectedWait;
    }
    if (!due) event.preventDefault();
  });
  document.addEventListener("htmx:beforeSend", function (event) {
    event.detail.elt.liveLastAsked = Date.now();
    event.detail.elt.liveConnectedWait = 0; // the next slow look's interval is drawn anew
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) refreshAll();
  });
})();
