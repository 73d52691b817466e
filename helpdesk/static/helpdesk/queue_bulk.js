// The queue page's bulk selection: "select all on this page", and no refresh of the list while
// requests are ticked (the refresh would clear the ticks): not asked for, and not shown if it was
// asked for before the first tick and arrives after it. Ticking works without this file.
(function () {
  "use strict";
  function ticked() {
    return document.querySelectorAll('input[form="bulk-form"]:checked').length > 0;
  }
  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-select-all]");
    if (!all) return;
    document.querySelectorAll('input[name="ticket"][form="' + all.dataset.selectAll + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.target.id === "queue-list" && ticked()) event.preventDefault();
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.target.id === "queue-list" && ticked()) event.detail.shouldSwap = false;
  });
})();
