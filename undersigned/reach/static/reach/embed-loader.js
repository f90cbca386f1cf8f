// The script partners paste (served at /embed.js): it turns each
//   <div data-undersigned-embed="https://…/petitions/<slug>/embed/?form=1"></div>
// into the widget's <iframe>, and sizes the frame to the height the widget reports by
// postMessage — only messages from that frame's own window and origin are believed.
(function () {
  "use strict";
  var MIN = 120, MAX = 3000;
  var frames = [];
  function insert(holder) {
    if (holder.dataset.undersignedReady) return;
    var url;
    try { url = new URL(holder.dataset.undersignedEmbed, document.baseURI); } catch (e) { return; }
    if (url.protocol !== "https:" && url.protocol !== "http:") return;
    var frame = document.createElement("iframe");
    frame.src = url.href;
    frame.title = holder.dataset.undersignedTitle || "Petition";
    frame.loading = "lazy";
    frame.setAttribute("width", "100%");
    frame.setAttribute("height", "420");
    frame.style.border = "0";
    frame.style.maxWidth = "100%";
    holder.dataset.undersignedReady = "1";
    holder.appendChild(frame);
    frames.push({ frame: frame, origin: url.origin });
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "undersigned:embed-height") return;
    for (var i = 0; i < frames.length; i++) {
      var known = frames[i];
      if (event.source === known.frame.contentWindow && event.origin === known.origin) {
        var height = Math.round(Number(data.height));
        if (height >= MIN && height <= MAX) known.frame.setAttribute("height", String(height));
        return;
      }
    }
  });
  function start() {
    var holders = document.querySelectorAll("[data-undersigned-embed]");
    for (var i = 0; i < holders.length; i++) insert(holders[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
