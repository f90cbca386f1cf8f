"""Issue 14: how long the verifier page takes, in Chromium, to check a receipt against a
1,000,000-leaf log: the checkpoint's signature and the inclusion proof built from the tiles.

A synthetic log (signature entries of known secrets) is served from memory over HTTP in the
C2SP tile layout, with the real verify.js; Chromium is Debian's (/usr/bin/chromium).
`python -m bench.log_proof_browser [LEAVES] [PORT]` prints the timings as JSON.
"""

from __future__ import annotations

import base64
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from undersigned.transparency import tlog

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "undersigned" / "transparency" / "static" / "transparency" / "verify.js"
PETITION_ID = 7
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>verify</title></head>
<body><section id="verifier" data-log="{base}/log/p/" data-key="{key}" data-origin="bench/log/p"
 data-petition-id="{pid}" data-count-url="{base}/count.json" data-skip-count>
<form id="receipt-form"><input name="secret"><input name="index"><button>Check</button></form>
<div id="verify-result"></div><ul hidden id="verify-messages"></ul></section>
<script src="/verify.js"></script></body></html>"""


def secret(i: int) -> bytes:
    return i.to_bytes(32, "big")


def build(leaves: int) -> tuple[list[list[bytes]], bytes]:
    """Tile levels 0, 1, 2 … (hashes at tree levels 0, 8, 16 …) and the root."""
    level = [tlog.leaf_hash(tlog.signature_entry(secret(i), PETITION_ID)) for i in range(leaves)]
    levels = [level]
    while len(level) >= tlog.TILE_WIDTH:
        level = [tlog.root_of(level[i : i + 256]) for i in range(0, len(level) - 255, 256)]
        levels.append(level)
    return levels, tlog.root_of(levels[0])


def serve(port: int, levels: list[list[bytes]], note: str, page: str) -> ThreadingHTTPServer:
    tile = re.compile(r"^/log/p/tile/([0-9]+)/((?:x[0-9]{3}/)*[0-9]{3})(?:\.p/([0-9]+))?$")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, kind = None, "application/octet-stream"
            path = self.path.split("?")[0]
            if path == "/log/p/checkpoint":
                body, kind = note.encode(), "text/plain"
            elif path == "/verify.js":
                body, kind = SCRIPT.read_bytes(), "text/javascript"
            elif path == "/":
                body, kind = page.encode(), "text/html"
            elif match := tile.match(path):
                t, n = int(match[1]), int(match[2].replace("x", "").replace("/", ""))
                width = int(match[3] or 256)
                hashes = levels[t][n * 256 : n * 256 + width]
                body = b"".join(hashes) if len(hashes) == width else None
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", kind)
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    leaves = int(argv[0]) if argv else 1_000_000
    port = int(argv[1]) if len(argv) > 1 else 15_580
    started = time.perf_counter()
    levels, root = build(leaves)
    built_s = time.perf_counter() - started
    signer = tlog.Signer(tlog.new_signer_key("bench/log"))
    note = signer.sign(tlog.checkpoint_text("bench/log/p", leaves, root))
    base = f"http://127.0.0.1:{port}"
    page_html = PAGE.format(base=base, key=signer.verifier_key, pid=PETITION_ID)
    server = serve(port, levels, note, page_html)
    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--headless", "--no-sandbox"])  # fmt: skip
            page = browser.new_page()
            for index in (0, leaves // 2 + 12_345, leaves - 1):
                receipt = base64.urlsafe_b64encode(secret(index)).decode().rstrip("=")
                page.goto(f"{base}/?{index}#secret={receipt}&index={index}")
                page.wait_for_selector('[data-result="included"], .verify-fail', timeout=30_000)
                box = page.locator("#verifier")
                ok = page.locator('[data-result="included"]').count() == 1
                results.append({
                    "index": index, "verified": ok,
                    "proof_ms": int(box.get_attribute("data-proof-ms") or -1),
                    "tile_fetches": int(box.get_attribute("data-tile-fetches") or -1),
                })  # fmt: skip
            version = browser.version
            browser.close()
    finally:
        server.shutdown()
    print(json.dumps({"leaves": leaves, "tree_built_s": round(built_s, 1), "chromium": version,
                      "checks": results}))  # fmt: skip
    return 0 if all(r["verified"] and r["proof_ms"] < 1000 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
