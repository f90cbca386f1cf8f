// After a passkey is added, go on to the recovery codes (a POST: they are made now).
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function () {
    var form = document.getElementById("after-passkey");
    if (form) form.submit();
  });
})();
