// After a failed submission, take keyboard and screen-reader focus to the error summary, on
// every page with a form (its role="alert" alone is not read out on every screen reader).
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
