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
          // What the goal measures: online, plus paper where the petition counts it.
          var total = data.count_toward_goal === undefined ? data.signature_count : data.count_toward_goal;
          countEl.textContent = format.format(total);
          fill.setAttribute("width", Math.min(100, Math.floor(total * 100 / Math.max(1, data.goal))));
          bar.setAttribute("aria-valuenow", total);
          var online = box.querySelector("[data-count-online]"), paper = box.querySelector("[data-count-paper]");
          if (online) online.textContent = format.format(data.signature_count);
          if (paper && data.paper_count !== undefined) paper.textContent = format.format(data.paper_count);
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
