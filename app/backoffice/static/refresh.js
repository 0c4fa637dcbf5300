// Reloads the agenda when it changed, so a new booking shows within
// seconds; never while someone is typing in a field.
(function () {
  var el = document.querySelector(".refresh");
  if (!el) return;
  setInterval(function () {
    var a = document.activeElement;
    if (a && (a.tagName === "INPUT" || a.tagName === "SELECT" || a.tagName === "TEXTAREA")) return;
    fetch(el.dataset.versionUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (v) { if (v && v.version !== el.dataset.version) location.reload(); })
      .catch(function () {});
  }, 5000);
})();
