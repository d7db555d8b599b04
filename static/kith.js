// Small enhancements on top of working pages: the live character count under post text boxes, and
// the browser's time zone for a member who has not chosen one. Without this script the limit is
// still stated in the hint and enforced by the server, and times are shown in UTC until the member
// picks a zone in Settings.
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
  function browserZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || null; } catch (e) { return null; }
  }
  // Sent once, only while the member has no zone (the server never lets a guess replace a choice).
  function guessTimeZone() {
    var meta = document.querySelector('meta[name="kith-guess-time-zone"]');
    var zone = browserZone();
    if (!meta || !zone) return;
    var body = new URLSearchParams({ _csrf: meta.getAttribute("content"), timeZone: zone, guess: "1" });
    fetch("/settings/time-zone", { method: "POST", body: body, credentials: "same-origin" }).catch(function () {});
  }
  // On Settings, preselect the browser's zone when none is chosen yet.
  function preselectZone() {
    var select = document.querySelector("select[data-guess-zone]");
    var zone = browserZone();
    if (select && zone && select.querySelector('option[value="' + zone.replace(/"/g, "") + '"]')) select.value = zone;
  }
  document.addEventListener("DOMContentLoaded", all);
  document.addEventListener("DOMContentLoaded", guessTimeZone);
  document.addEventListener("DOMContentLoaded", preselectZone);
  document.addEventListener("htmx:after:swap", all);
})();
