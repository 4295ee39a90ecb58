// Keyboard work on the review queue: j/k move, o or Enter opens, c confirms, x rejects.
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-review-row]"));
  if (!rows.length) { return; }
  var current = 0;

  function select(index) {
    rows[current].classList.remove("is-current");
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows[current].classList.add("is-current");
    rows[current].focus({ preventScroll: true });
    rows[current].scrollIntoView({ block: "nearest" });
  }

  function submit(action) {
    var form = rows[current].querySelector('form[data-action="' + action + '"]');
    if (form) { form.submit(); }
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    switch (event.key) {
      case "j": case "ArrowDown": select(current + 1); break;
      case "k": case "ArrowUp": select(current - 1); break;
      case "o": case "Enter": window.location.assign(rows[current].dataset.dealUrl); break;
      case "c": submit("confirm"); break;
      case "x": submit("reject"); break;
      default: return;
    }
    event.preventDefault();
  });

  rows.forEach(function (row, index) { row.addEventListener("click", function () { select(index); }); });
  select(0);
})();
