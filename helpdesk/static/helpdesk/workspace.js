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
      // A macro also chooses what happens to the ticket when the reply goes out (the agent can
      // change "Then"; the priority and tags are set on sending, see CannedResponse.apply_to).
      if (option.dataset.macro && box.form) {
        box.form.elements.macro.value = option.dataset.macro;
        if (option.dataset.then) box.form.elements.then.value = option.dataset.then;
      }
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
