// Small behaviours any page may ask for with a data attribute: the Content-Security-Policy
// runs no inline handlers (onclick=, onkeydown=), so they live here.
(function () {
  "use strict";
  // <button data-print>: prints the page (a slip, a report).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  // <input data-enter-stays>: Enter does not submit the form around it (a search box that
  // fills in results as one types).
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.closest("[data-enter-stays]")) event.preventDefault();
  });
})();
