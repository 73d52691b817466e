// The ticket workspace: canned responses fill the reply box; typing in it tells colleagues.
(function () {
  "use strict";
  var box = document.querySelector("[data-reply-box]");
  var picker = document.querySelector("[data-canned-picker]");
  var flag = document.getElementById("replying-flag");
  var viewers = document.getElementById("viewers");

  function setReplying(replying) {
    var value = replying ? "1" : "";
    if (!flag || flag.value === value) return;
    flag.value = value;
    // Tell the others at once rather than at the next poll.
    if (viewers && window.htmx) window.htmx.trigger(viewers, "helpdesk:replying");
  }

  if (picker && box) {
    picker.addEventListener("change", function () {
      var option = picker.options[picker.selectedIndex];
      var text = option && option.dataset.text;
      if (!text) return;
      box.value = box.value.trim() ? box.value.replace(/\s+$/, "") + "\n\n" + text : text;
      picker.selectedIndex = 0;
      box.focus();
      setReplying(true);
    });
  }
  if (box) {
    box.addEventListener("focus", function () { setReplying(true); });
    box.addEventListener("input", function () { setReplying(true); });
    box.addEventListener("blur", function () { setReplying(box.value.trim() !== ""); });
    if (box.value.trim()) setReplying(true);
  }
})();
