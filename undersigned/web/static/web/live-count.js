// Keeps petition counts live by polling count.json; without JavaScript the page shows the
// count at load. No third-party code, no cookies.
(function () {
  "use strict";
  var POLL_MS = 5000;
  var format = new Intl.NumberFormat(document.documentElement.lang || undefined);
  document.querySelectorAll(".progress[data-count-url]").forEach(function (box) {
    var countEl = box.querySelector("[data-count]");
    var fill = box.querySelector("[data-count-fill]");
    var bar = box.querySelector("[role=progressbar]");
    function refresh() {
      if (document.hidden) return;
      fetch(box.dataset.countUrl, { credentials: "omit" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          countEl.textContent = format.format(data.signature_count);
          fill.setAttribute("width", Math.min(100, Math.floor(data.signature_count * 100 / Math.max(1, data.goal))));
          bar.setAttribute("aria-valuenow", data.signature_count);
        })
        .catch(function () {});
    }
    setInterval(refresh, POLL_MS);
  });
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copy).then(function () {
        button.textContent = button.dataset.copied || "✓";
      });
    });
  });
})();
