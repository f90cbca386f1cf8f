// Back-office pages of updates: keep a
// mailing's progress live by polling its same-origin JSON. Without JavaScript the progress
// page refreshes itself (a <noscript> meta refresh). No third-party code.
(function () {
  "use strict";
  var box = document.querySelector(".mailing-progress[data-progress-url]");
  if (!box || !box.dataset.progressUrl) return;
  var POLL_MS = 2000;
  var format = new Intl.NumberFormat(document.documentElement.lang || undefined);
  var bar = box.querySelector("progress");
  var finishedLabel = document.getElementById("status-finished");
  function show(name, value) {
    var el = box.querySelector('[data-field="' + name + '"]');
    if (el) el.textContent = format.format(value);
  }
  var timer = setInterval(function () {
    if (document.hidden) return;
    fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        ["sent", "total", "pending", "skipped", "failed"].forEach(function (name) { show(name, data[name]); });
        bar.max = Math.max(1, data.total);
        bar.value = data.total ? data.sent + data.skipped + data.failed : 1;
        if (data.finished) {
          clearInterval(timer);
          box.querySelector('[data-field="status"]').textContent = finishedLabel ? finishedLabel.innerHTML : "✓";
        }
      })
      .catch(function () {});
  }, POLL_MS);
})();
