"""Run by `make test` first: says loudly when the browser tests cannot run.

Under CI (CI=true) a missing Chromium is an error; on a developer's machine it is a warning,
and the browser tests skip with the same message.
"""

import os
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = "install it with: sudo apt-get install chromium"


def main() -> int:
    if CHROMIUM.exists():
        return 0
    banner = "!" * 78
    message = f"Chromium is missing at {CHROMIUM}: the browser tests cannot run; {INSTALL_HINT}"
    print(f"{banner}\n{message}\n{banner}", file=sys.stderr)
    return 1 if os.environ.get("CI") else 0


if __name__ == "__main__":
    raise SystemExit(main())
