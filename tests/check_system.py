"""Run by `make test` first: says loudly which system tools some tests need and lack.

Under CI (CI=true) a missing tool is an error; on a developer's machine it is a warning, and
the tests that need it skip with the same message.
"""

import os
import shutil
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = "install it with: sudo apt-get install chromium"

# (what is missing, how to get it), checked in this order.
SYSTEM_TOOLS = [
    (CHROMIUM.exists(), f"Chromium at {CHROMIUM} (browser tests); {INSTALL_HINT}"),
    (
        shutil.which("pdftotext") is not None,
        "pdftotext (delivery PDF tests); install it with: sudo apt-get install poppler-utils",
    ),
]


def main() -> int:
    missing = [message for present, message in SYSTEM_TOOLS if not present]
    if not missing:
        return 0
    banner = "!" * 78
    lines = "\n".join(f"Missing: {message}" for message in missing)
    print(f"{banner}\n{lines}\n{banner}", file=sys.stderr)
    return 1 if os.environ.get("CI") else 0


if __name__ == "__main__":
    raise SystemExit(main())
