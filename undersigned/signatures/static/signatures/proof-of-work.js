// Solves the sign form's proof-of-work challenge in the background, so bots pay in CPU what
// people pay in a second of waiting. ALTCHA's classic protocol: find the number n at most
// maxNumber with SHA-256(salt + n) = challenge. Self-hosted: the challenge comes from this
// site (uncached, as the page itself is shared by everyone); no third party, no cookies.
// It never stops anyone signing: without a solution the signature is accepted and held for
// a person to check (docs/abuse.md).
(function () {
  "use strict";
  var form = document.querySelector("form[data-proof-of-work]");
  if (!form || !window.fetch || !window.TextEncoder || !window.crypto || !crypto.subtle) return;
  var field = form.querySelector('input[name="altcha"]');
  var status = form.querySelector("[data-pow-status]");
  var encoder = new TextEncoder();
  var BATCH = 250; // hashes in flight at once: the page stays responsive between batches
  var WAIT_AT_SUBMIT_MS = 3000; // at most this long, then the form goes without a solution
  var solving = null;
  var sent = false;

  function say(key) {
    if (status) status.textContent = key ? status.dataset[key] || "" : "";
  }

  function toHex(buffer) {
    var bytes = new Uint8Array(buffer);
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  function sha256(text) {
    return crypto.subtle.digest("SHA-256", encoder.encode(text)).then(toHex);
  }

  async function solve(challenge) {
    for (var start = 0; start <= challenge.maxNumber; start += BATCH) {
      var jobs = [];
      for (var n = start; n < start + BATCH && n <= challenge.maxNumber; n++) {
        jobs.push(sha256(challenge.salt + n));
      }
      var hashes = await Promise.all(jobs);
      var found = hashes.indexOf(challenge.challenge);
      if (found !== -1) return start + found;
    }
    return null;
  }

  function start() {
    if (solving) return solving;
    say("working");
    solving = fetch(form.dataset.proofOfWork, { credentials: "omit", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (challenge) {
        if (!challenge) return null;
        return solve(challenge).then(function (number) {
          if (number === null) return null;
          field.value = btoa(JSON.stringify({
            algorithm: challenge.algorithm, challenge: challenge.challenge, number: number,
            salt: challenge.salt, signature: challenge.signature,
          }));
          say("done");
          return number;
        });
      })
      .catch(function () { return null; })
      .then(function (number) { if (number === null) say(""); return number; });
    return solving;
  }

  // Only someone who starts filling in the form pays for the check, not every reader.
  form.addEventListener("focusin", start);
  form.addEventListener("input", start);
  form.addEventListener("submit", function (event) {
    if (field.value || sent) return;
    event.preventDefault();
    sent = true;
    say("finishing");
    var timeout = new Promise(function (resolve) { setTimeout(resolve, WAIT_AT_SUBMIT_MS); });
    Promise.race([start(), timeout]).then(function () { form.submit(); });
  });
})();
