// Small enhancements on top of working pages: the live character count under post text boxes.
// Without this script the limit is still stated in the hint and enforced by the server.
(function () {
  function update(area) {
    var out = document.getElementById(area.id + "-count");
    if (!out) return;
    var limit = Number(area.getAttribute("data-limit"));
    var used = Array.from(area.value).length;
    out.textContent = used + " of " + limit + " characters" + (used > limit ? " (" + (used - limit) + " too many)" : "");
    out.classList.toggle("over", used > limit);
  }
  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target instanceof HTMLTextAreaElement && target.hasAttribute("data-limit")) update(target);
  });
  function all() {
    document.querySelectorAll("textarea[data-limit]").forEach(update);
  }
  document.addEventListener("DOMContentLoaded", all);
  document.addEventListener("htmx:after:swap", all);
})();
