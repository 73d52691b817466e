// The workspace's SLA clocks count down while the office is open, without asking the server:
// the page says how much business time was left when it was made and how long the office stays
// open from then on (helpdesk/queue/sla_clocks.py); outside that stretch the clock stands still.
(function () {
  "use strict";
  var clocks = document.querySelectorAll("[data-sla-ticking]");
  if (!clocks.length) return;
  var loadedAt = Date.now();
  var language = document.documentElement.lang || "en";

  function unit(name, count) {
    try {
      return new Intl.NumberFormat(language, { style: "unit", unit: name, unitDisplay: "long" }).format(count);
    } catch (error) { // a browser without unit formatting keeps the page's own text
      return null;
    }
  }

  // "2 hours, 10 minutes" as the server writes it, whole minutes rounded down
  // (helpdesk.queue.sla_clocks.business_duration).
  function duration(seconds, separator) {
    var minutes = Math.floor(Math.abs(seconds) / 60);
    var hours = Math.floor(minutes / 60);
    minutes = minutes % 60;
    var parts = hours ? [unit("hour", hours)] : [];
    if (minutes || !hours) parts.push(unit("minute", minutes));
    return parts.indexOf(null) === -1 ? parts.join(separator) : null;
  }

  function setBand(clock, band, label) {
    var badge = clock.querySelector("[data-sla-badge]");
    if (clock.dataset.band === band) return;
    clock.dataset.band = band;
    badge.className = badge.className.replace(/text-bg-\w+/, band === "2" ? "text-bg-danger" : "text-bg-warning");
    badge.textContent = label;
  }

  function tick() {
    var elapsed = (Date.now() - loadedAt) / 1000;
    clocks.forEach(function (clock) {
      var data = clock.dataset;
      var counted = Math.min(elapsed, Number(data.openSeconds));
      var left = Number(data.leftSeconds) - counted;
      var state = clock.querySelector("[data-sla-state]");
      var text;
      if (left > 0) {
        text = duration(left, data.separator);
        if (text) text = data.leftText.replace("%(left)s", text);
        if (data.riskSeconds && counted >= Number(data.riskSeconds)) setBand(clock, "1", data.atRiskLabel);
      } else {
        text = duration(-left, data.separator);
        if (text) text = data.overdueText.replace("%(late)s", text);
        setBand(clock, "2", data.breachedLabel);
      }
      if (text && state.textContent !== text) state.textContent = text;
    });
  }

  setInterval(tick, 1000);
})();
