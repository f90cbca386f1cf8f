// Inside the embedded widget: take the partner's accent colour (set on <body> by the server,
// already validated) and tell the page around the frame how tall the widget is, so its
// script (embed-loader.js) can size the frame. The message holds only a height.
(function () {
  "use strict";
  var body = document.body;
  if (body.dataset.accent) {
    document.documentElement.style.setProperty("--accent", body.dataset.accent);
    document.documentElement.style.setProperty("--accent-ink", body.dataset.accentInk);
  }
  if (window.parent === window) return;
  var last = 0;
  function tell() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "undersigned:embed-height", height: height }, "*");
  }
  if ("ResizeObserver" in window) new ResizeObserver(tell).observe(document.documentElement);
  window.addEventListener("load", tell);
  tell();
})();
