// Reloads the agenda or the help page when it changed, so a new booking
// or call shows within seconds; never while someone is typing in a field.
// On the help page staff may turn on a short tone for a new call: the
// choice is kept in this browser, and the tone plays before the reload.
(function () {
  var el = document.querySelector(".refresh");
  if (!el) return;
  var soundKey = "balie-sound-" + (el.dataset.sound || "");
  var button = document.getElementById("sound");
  var audio = null;
  function soundOn() { return el.dataset.sound && localStorage.getItem(soundKey) === "on"; }
  function show() {
    if (!button) return;
    button.setAttribute("aria-pressed", soundOn() ? "true" : "false");
    button.textContent = "Geluid bij een nieuwe vraag: " + (soundOn() ? "aan" : "uit");
  }
  function tone(then) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = 880;
      g.gain.value = 0.2;
      o.connect(g); g.connect(audio.destination);
      o.start(); o.stop(audio.currentTime + 0.4);
    } catch (e) {}
    setTimeout(then, 600);
  }
  if (button) {
    button.addEventListener("click", function () {
      localStorage.setItem(soundKey, soundOn() ? "off" : "on");
      show();
      if (soundOn()) tone(function () {}); // a tap lets the browser play sound
    });
    show();
  }
  setInterval(function () {
    var a = document.activeElement;
    if (a && (a.tagName === "INPUT" || a.tagName === "SELECT" || a.tagName === "TEXTAREA")) return;
    fetch(el.dataset.versionUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (v) {
        if (!v || v.version === el.dataset.version) return;
        if (soundOn()) tone(function () { location.reload(); });
        else location.reload();
      })
      .catch(function () {});
  }, 5000);
})();
