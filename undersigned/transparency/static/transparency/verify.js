// The receipt verifier: checks a petition's transparency log in the reader's own browser.
// Plain JavaScript and WebCrypto (SHA-256, Ed25519); no third-party code. It reads the log in
// the C2SP formats (signed-note checkpoint, tlog-tiles of height 8), builds the RFC 9162
// inclusion proof of the receipt's leaf from the tiles and checks it against the signed root.
// Works from a saved copy of the page: every URL it fetches is absolute.
(function () {
  "use strict";
  var WIDTH = 256;
  var box = document.getElementById("verifier");
  if (!box) return;
  var form = document.getElementById("receipt-form");
  var out = document.getElementById("verify-result");
  var enc = new TextEncoder();

  function message(key, values) {
    var li = document.querySelector('#verify-messages [data-key="' + key + '"]');
    var text = li ? li.textContent : key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  }
  function say(key, values, ok) {
    var p = document.createElement("p");
    p.textContent = message(key, values);
    p.className = ok === false ? "verify-fail" : ok ? "verify-ok" : "";
    p.dataset.result = key;
    out.appendChild(p);
  }
  function fail(key, values) {
    var error = new Error(key);
    error.key = key;
    error.values = values;
    throw error;
  }

  function b64(bytes) {
    var s = "";
    bytes.forEach(function (b) { s += String.fromCharCode(b); });
    return btoa(s);
  }
  function unb64(text) {
    var s = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return bytes;
  }
  function concat() {
    var parts = Array.prototype.slice.call(arguments);
    var n = parts.reduce(function (a, p) { return a + p.length; }, 0);
    var all = new Uint8Array(n), at = 0;
    parts.forEach(function (p) { all.set(p, at); at += p.length; });
    return all;
  }
  function equal(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  async function sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  }
  function leafHash(entry) { return sha256(concat(new Uint8Array([0]), entry)); }
  function nodeHash(l, r) { return sha256(concat(new Uint8Array([1]), l, r)); }

  async function get(url) {
    var response = await fetch(url, { credentials: "omit", cache: "no-cache" });
    if (!response.ok) fail("failed", { error: response.status + " " + url });
    return new Uint8Array(await response.arrayBuffer());
  }

  // --- The signed checkpoint (C2SP signed-note, tlog-checkpoint) ---
  async function openCheckpoint(note, vkey) {
    var parts = vkey.split("+");
    var name = parts[0], keyId = parts[1], raw = unb64(parts.slice(2).join("+"));
    var split = note.lastIndexOf("\n\n");
    if (split < 0 || raw[0] !== 1 || raw.length !== 33) fail("bad-checkpoint");
    var text = note.slice(0, split + 1);
    var prefix = "\u2014 " + name + " ";
    var line = note.slice(split + 2).split("\n").filter(function (l) {
      return l.indexOf(prefix) === 0 && hex(unb64(l.slice(prefix.length)).slice(0, 4)) === keyId;
    })[0];
    if (!line) fail("bad-signature");
    var sig = unb64(line.slice(prefix.length)).slice(4);
    var key;
    try {
      key = await crypto.subtle.importKey("raw", raw.slice(1), { name: "Ed25519" }, false, ["verify"]);
    } catch (e) {
      say("no-ed25519", {}, false);
      key = null;
    }
    if (key && !(await crypto.subtle.verify({ name: "Ed25519" }, key, sig, enc.encode(text)))) {
      fail("bad-signature");
    }
    var lines = text.split("\n");
    if (lines.length < 4 || !/^(0|[1-9][0-9]*)$/.test(lines[1])) fail("bad-checkpoint");
    return { origin: lines[0], size: Number(lines[1]), root: unb64(lines[2]), signed: !!key };
  }

  // --- Tiles: node hashes of complete subtrees, RFC 9162 proofs ---
  function indexPath(n) {
    var groups = [];
    do { groups.unshift(("00" + (n % 1000)).slice(-3)); n = Math.floor(n / 1000); } while (n > 0);
    return groups.map(function (g, i) { return i < groups.length - 1 ? "x" + g : g; }).join("/");
  }
  function Tiles(base, size) {
    var cache = new Map();
    this.fetches = 0;
    var self = this;
    // The hashes stored at tile level t, tile n (a partial tile at the right edge).
    this.tile = function (t, n) {
      var key = t + "/" + n;
      if (!cache.has(key)) {
        var count = Math.floor(size / Math.pow(WIDTH, t));
        var width = Math.min(WIDTH, count - n * WIDTH);
        var path = "tile/" + t + "/" + indexPath(n) + (width < WIDTH ? ".p/" + width : "");
        self.fetches++;
        cache.set(key, get(base + path));
      }
      return cache.get(key);
    };
    // The hash of the complete subtree of 2**level leaves, number `index` at that level.
    this.node = async function (level, index) {
      var t = Math.floor(level / 8), within = level % 8;
      var first = index * Math.pow(2, within);
      var data = await self.tile(t, Math.floor(first / WIDTH));
      var at = first % WIDTH;
      var hashes = [];
      for (var i = 0; i < Math.pow(2, within); i++) hashes.push(data.slice((at + i) * 32, (at + i + 1) * 32));
      while (hashes.length > 1) {
        var up = [];
        for (var j = 0; j < hashes.length; j += 2) up.push(await nodeHash(hashes[j], hashes[j + 1]));
        hashes = up;
      }
      return hashes[0];
    };
  }
  function split(n) { var k = 1; while (k * 2 < n) k *= 2; return k; }
  async function rangeHash(tiles, start, end) {
    var n = end - start;
    if ((n & (n - 1)) === 0 && start % n === 0) return tiles.node(Math.log2(n), start / n);
    var k = split(n);
    return nodeHash(await rangeHash(tiles, start, start + k), await rangeHash(tiles, start + k, end));
  }
  async function inclusionProof(tiles, m, start, end) {
    if (end - start === 1) return [];
    var k = split(end - start);
    if (m < k) return (await inclusionProof(tiles, m, start, start + k)).concat([await rangeHash(tiles, start + k, end)]);
    return (await inclusionProof(tiles, m - k, start + k, end)).concat([await rangeHash(tiles, start, start + k)]);
  }
  async function verifyInclusion(index, size, leaf, proof, root) {
    if (index >= size) return false;
    var fn = index, sn = size - 1, r = leaf;
    for (var i = 0; i < proof.length; i++) {
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        r = await nodeHash(proof[i], r);
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await nodeHash(r, proof[i]);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 && equal(r, root);
  }

  // --- The receipt and the count ---
  async function receiptEntry(secret, petitionId) {
    var id = new Uint8Array(8);
    new DataView(id.buffer).setBigUint64(0, BigInt(petitionId));
    var commitment = await sha256(concat(enc.encode("undersigned/receipt/v1\0"), id, unb64(secret)));
    return enc.encode("undersigned/signature/v1\n" + b64(commitment) + "\n");
  }
  async function tally(base, size) {
    var totals = { signature: 0, removed: 0, reasons: {} };
    var dec = new TextDecoder();
    for (var n = 0; n * WIDTH < size; n++) {
      var width = Math.min(WIDTH, size - n * WIDTH);
      var data = await get(base + "tile/entries/" + indexPath(n) + (width < WIDTH ? ".p/" + width : ""));
      for (var at = 0; at < data.length;) {
        var len = (data[at] << 8) | data[at + 1];
        var lines = dec.decode(data.slice(at + 2, at + 2 + len)).split("\n");
        at += 2 + len;
        if (lines[0] === "undersigned/signature/v1") totals.signature++;
        if (lines[0] === "undersigned/invalidation/v1" || lines[0] === "undersigned/withdrawal/v1") {
          totals.removed++;
          totals.reasons[lines[1]] = lines[2];
        }
      }
    }
    return totals;
  }

  async function check(secret, indexText) {
    out.textContent = "";
    say("checking");
    var base = box.dataset.log;
    var started = performance.now();
    try {
      var cp = await openCheckpoint(new TextDecoder().decode(await get(base + "checkpoint")), box.dataset.key);
      if (cp.origin !== box.dataset.origin) fail("bad-checkpoint");
      if (cp.signed) say("signed", { size: cp.size }, true);
      if (!secret) return;
      if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) fail("bad-secret");
      var leaf = await leafHash(await receiptEntry(secret, box.dataset.petitionId));
      var index = /^[0-9]+$/.test(indexText) ? Number(indexText) : null;
      if (index === null) {
        var found = await fetch(base + "leaf/" + hex(leaf), { credentials: "omit" });
        if (!found.ok) fail("not-found");
        index = (await found.json()).index;
      }
      if (index >= cp.size) fail("not-yet");
      var tiles = new Tiles(base, cp.size);
      var proof = await inclusionProof(tiles, index, 0, cp.size);
      if (!(await verifyInclusion(index, cp.size, leaf, proof, cp.root))) fail("not-included", { index: index });
      box.dataset.proofMs = String(Math.round(performance.now() - started));
      box.dataset.tileFetches = String(tiles.fetches);
      say("included", { index: index }, true);
      if (box.dataset.skipCount !== undefined) return;
      var totals = await tally(base, cp.size);
      if (totals.reasons[String(index)] !== undefined) say("removed", { index: index, reason: totals.reasons[String(index)] }, false);
      var count = totals.signature - totals.removed;
      say("count", { count: count, signatures: totals.signature, removed: totals.removed }, true);
      box.dataset.logCount = String(count);
      var page = await fetch(box.dataset.countUrl, { credentials: "omit" }).then(function (r) { return r.json(); }).catch(function () { return null; });
      if (page) say(page.signature_count === count ? "count-matches" : "count-differs", { page: page.signature_count }, page.signature_count === count);
    } catch (error) {
      say(error.key || "failed", error.values || { error: String(error) }, false);
    }
  }

  var params = new URLSearchParams(location.hash.slice(1));
  form.elements.secret.value = params.get("secret") || "";
  form.elements.index.value = params.get("index") || "";
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    check(form.elements.secret.value.trim(), form.elements.index.value.trim());
  });
  if (params.get("secret")) check(params.get("secret"), params.get("index") || "");
})();
