import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from undersigned.debates.demo import load_demo_debate
from undersigned.signatures.demo import add_demo_signatures
from undersigned.transparency.reconcile import repair
from undersigned.web.demo import (
    DEMO_STAFF,
    DEMO_STAFF_PASSWORD,
    DEMO_TOTP_SECRET,
    demo_totp_code,
    load_demo,
    load_demo_staff,
)

MAX_DEMO_SIGNATURES = 1_000_000


class Command(BaseCommand):
    help = "Load the demo case and petition (safe to run again: it changes nothing twice)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--code", action="store_true",
            help="print the demo accounts' current sign-in code (development only)",
        )  # fmt: skip
        parser.add_argument(
            "--signatures", type=int, metavar="N", default=None,
            help="also fill the demo petition with N synthetic confirmed signatures "
            "(development only; 0 to 1,000,000)",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        if options["code"]:
            if not settings.DEBUG:
                self.stderr.write("The demo accounts exist only with DEBUG on.")
                return
            self.stdout.write(demo_totp_code())
            return
        signatures = options["signatures"]
        if signatures is not None and not settings.DEBUG:
            raise CommandError("Synthetic signatures are for development only (DEBUG on).")
        if signatures is not None and not 0 <= signatures <= MAX_DEMO_SIGNATURES:
            raise CommandError(f"--signatures takes 0 to {MAX_DEMO_SIGNATURES:,}.")
        petition = load_demo()
        debate = load_demo_debate()
        self.stdout.write(
            f"Demo loaded: /cases/{petition.case.slug}/, /petitions/{petition.slug}/ and "
            f"/cases/{petition.case.slug}/debates/{debate.slug}/"
        )
        if signatures is not None:
            started = time.monotonic()
            added = add_demo_signatures(petition, signatures)
            # Written straight to the table, so they reach the transparency log here: the
            # demo's count must verify like a real one (docs/verifiable-counts.md).
            log = repair(petition, acting_user=None)
            self.stdout.write(
                f"{signatures:,} synthetic signatures on the demo petition ({added:,} added, "
                f"log of {log.size:,} entries) in {time.monotonic() - started:.1f} s."
            )
        if settings.DEBUG:  # never a known password on a production installation
            load_demo_staff()
            names = ", ".join(username for username, _role in DEMO_STAFF)
            self.stdout.write(
                f"Back office at /staff/: sign in as {names} "
                f"with the password {DEMO_STAFF_PASSWORD!r} (development only)."
            )
            self.stdout.write(
                f"Second step: add the key {DEMO_TOTP_SECRET} to an authenticator app, or "
                "run `undersigned demo --code` for the current code."
            )
