// The lobby screen's board is replaced every few seconds and may come back in another
// language (a branch can rotate English, Hungarian and Polish): keep the page's own language
// and title in step, so screen readers and translation tools read each language correctly.
// A number newly called (or called again) also sounds a short chime, for visitors who are not
// looking at the screen; browsers play it once the screen has been clicked, or at once on a
// kiosk started with --autoplay-policy=no-user-gesture-required.
(function () {
  var announced = null;
  var audio = null;

  function calls() {
    var rows = document.querySelectorAll("#board tr.lobby-fresh[data-call]");
    return Array.prototype.map.call(rows, function (row) { return row.dataset.call; });
  }

  function chime() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var tone = audio.createOscillator();
      var volume = audio.createGain();
      tone.frequency.value = 880;
      volume.gain.setValueAtTime(0.25, audio.currentTime);
      volume.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.8);
      tone.connect(volume);
      volume.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.8);
    } catch (error) {
      // No sound on this device: the highlighted number still shows.
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    announced = new Set(calls());
  });

  document.addEventListener("htmx:afterSwap", function () {
    var board = document.getElementById("board");
    if (!board) return;
    document.documentElement.lang = board.dataset.lang;
    document.title = board.dataset.title;
    var fresh = calls().filter(function (call) { return !announced.has(call); });
    fresh.forEach(function (call) { announced.add(call); });
    if (fresh.length) chime();
  });
})();
