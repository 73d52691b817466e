// The lobby screen's board is replaced every few seconds and may come back in another
// language (a branch can rotate English, Hungarian and Polish): keep the page's own language
// and title in step, so screen readers and translation tools read each language correctly.
document.addEventListener("htmx:afterSwap", function () {
  var board = document.getElementById("board");
  if (!board) return;
  document.documentElement.lang = board.dataset.lang;
  document.title = board.dataset.title;
});
