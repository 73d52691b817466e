// Live pages. A page with a push channel ([data-live-stream]) opens one server-sent events stream;
// an event on a channel makes the elements that show it ([data-live-channel~="chat:12"]) fetch
// as they do when polling (the htmx trigger "live"). While the stream is open their timed polls
// pause, but for a slow look every data-live-connected-poll seconds (the stream's, or the
// element's own when what it shows also changes with time) in case an event was lost;
// without it (no EventSource, a proxy that buffers, push turned off) they poll as before.
// A hidden tab does not poll at all (but for elements that must say "still here", which poll
// every data-live-hidden-poll seconds), and asks once for what it missed when shown again.
(function () {
  "use strict";
  if (window.helpdeskLive) return;
  var live = (window.helpdeskLive = { connected: false });
  var stream = document.querySelector("[data-live-stream]");
  var connectedPollMs = stream ? Number(stream.dataset.liveConnectedPoll) * 1000 : 0;
  var staleTimers = {};

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
    var url = stream.dataset.liveStream;
    return query.length ? url + (url.indexOf("?") < 0 ? "?" : "&") + query.join("&") : url;
  }

  // EventSource reconnects by itself after the server's "retry:"; when it gives up (the server
  // refused, or answered 204: nothing to follow) the page polls. Our own reconnection waits
  // longer after each failure, so a server that is down is not asked every few seconds.
  var failures = 0;
  var reconnecting = false;
  function connect() {
    var source = new EventSource(streamUrl());
    source.addEventListener("ready", function (message) {
      live.connected = true;
      failures = 0;
      // What happened while not connected: on a reconnection, or when events were published
      // between drawing the page and opening its stream.
      var last = JSON.parse(message.data).last;
      if (reconnecting || String(last) !== stream.dataset.liveSince) refreshAll();
      reconnecting = true;
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
    if (!polls(element) || !element.liveLastAsked) return; // its first look, on load
    // A second's slack: htmx's timer and the last request's time are never exactly apart.
    var waited = Date.now() - element.liveLastAsked + 1000;
    var due = true;
    if (document.hidden) {
      var hiddenPoll = Number(element.dataset.liveHiddenPoll || 0) * 1000;
      due = hiddenPoll > 0 && waited >= hiddenPoll;
    } else if (live.connected && element.hasAttribute("data-live-channel")) {
      var ownPoll = element.dataset.liveConnectedPoll;
      due = waited >= (ownPoll ? Number(ownPoll) * 1000 : connectedPollMs);
    }
    if (!due) event.preventDefault();
  });
  document.addEventListener("htmx:beforeSend", function (event) {
    event.detail.elt.liveLastAsked = Date.now();
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) refreshAll();
  });
})();
