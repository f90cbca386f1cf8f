// The sign form's "referring site" field: the host name of the page that linked here, if
// another site (never its path). Set here, not by the server, so the cached page is the same
// for everyone; see signatures/sources.py.
(function () {
  "use strict";
  var field = document.querySelector("input[data-referrer]");
  if (!field || field.value || !document.referrer) return;
  var host;
  try {
    host = new URL(document.referrer).hostname;
  } catch (error) {
    return;
  }
  if (host && host !== window.location.hostname) field.value = host;
})();
