// Keyboard shortcuts of the queue page and the workspace, listed in the dialog that "?" opens.
// A single key never fires while the focus is in a field (typing "r" in a reply is a letter);
// Ctrl+Enter (Cmd+Enter on a Mac) in the reply or note box sends what is written there.
(function () {
  "use strict";
  var LIST_KEY = "helpdesk:queue-list";
  var help = document.getElementById("shortcuts-help");

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.isContentEditable || target.closest("input, textarea, select, [contenteditable]"));
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-testid='queue-row']"));
  }

  // The queue page remembers its list, so next/previous in the workspace follow it.
  function rememberList() {
    var references = rows().map(function (row) { return row.dataset.reference; });
    if (!references.length) return;
    try { window.sessionStorage.setItem(LIST_KEY, JSON.stringify(references)); } catch (e) { /* private mode */ }
  }

  function rememberedList() {
    try { return JSON.parse(window.sessionStorage.getItem(LIST_KEY) || "[]"); } catch (e) { return []; }
  }

  function moveInQueue(step) {
    var all = rows();
    if (!all.length) return false;
    var current = all.findIndex(function (row) { return row.classList.contains("table-active"); });
    var next = Math.min(Math.max(current + step, 0), all.length - 1);
    if (current === -1) next = step > 0 ? 0 : all.length - 1;
    all.forEach(function (row) { row.classList.remove("table-active"); });
    all[next].classList.add("table-active");
    var link = all[next].querySelector("a");
    if (link) link.focus();
    return true;
  }

  function moveFromTicket(step) {
    var here = document.querySelector("[data-ticket-reference]");
    if (!here) return false;
    var list = rememberedList();
    var index = list.indexOf(here.dataset.ticketReference);
    var target = index === -1 ? undefined : list[index + step];
    if (!target) return false;
    window.location.assign(here.dataset.ticketUrlPattern.replace("REFERENCE", encodeURIComponent(target)));
    return true;
  }

  function focusBox(selector) {
    var box = document.querySelector(selector);
    if (!box) return false;
    box.scrollIntoView({ block: "center" });
    box.focus();
    return true;
  }

  function takeNext() {
    var form = document.querySelector("form[data-shortcut='take-next']");
    if (!form) return false;
    form.requestSubmit();
    return true;
  }

  var ACTIONS = {
    "?": function () { if (!help) return false; if (!help.open) help.showModal(); return true; },
    t: takeNext,
    j: function () { return moveInQueue(1) || moveFromTicket(1); },
    k: function () { return moveInQueue(-1) || moveFromTicket(-1); },
    r: function () { return focusBox("[data-reply-box]"); },
    n: function () { return focusBox("[data-note-box]"); },
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      var box = event.target.closest && event.target.closest("[data-reply-box], [data-note-box]");
      if (box && box.form) {
        event.preventDefault();
        box.form.requestSubmit();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (help && help.open) return; // the dialog closes with Esc or its button first
    var action = ACTIONS[event.key];
    if (action && action()) event.preventDefault();
  });

  rememberList();
  // The list refreshes itself (htmx): keep the remembered order current.
  document.body.addEventListener("htmx:afterSwap", rememberList);
})();
