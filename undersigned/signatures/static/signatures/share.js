// The thank-you page's "Share…" button: the browser's own share sheet (Web Share API) where
// the browser has one; elsewhere the button stays hidden and the copy-link button and the
// link field do the job. A plain <button>, so keyboards and screen readers use it as any.
(function () {
  "use strict";
  var button = document.querySelector("button[data-web-share]");
  if (!button || typeof navigator.share !== "function") return;
  var data = {
    title: button.dataset.shareTitle,
    text: button.dataset.shareText,
    url: button.dataset.shareUrl,
  };
  if (typeof navigator.canShare === "function" && !navigator.canShare(data)) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.share(data).catch(function () {}); // closing the share sheet is not an error
  });
})();
