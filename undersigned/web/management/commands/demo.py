from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from undersigned.debates.demo import load_demo_debate
from undersigned.web.demo import (
    DEMO_STAFF,
    DEMO_STAFF_PASSWORD,
    DEMO_TOTP_SECRET,
    demo_totp_code,
    load_demo,
    load_demo_staff,
)


class Command(BaseCommand):
    help = "Load the demo case and petition (safe to run again: it changes nothing twice)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--code", action="store_true",
            help="print the demo accounts' current sign-in code (development only)",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        if options["code"]:
            if not settings.DEBUG:
                self.stderr.write("The demo accounts exist only with DEBUG on.")
                return
            self.stdout.write(demo_totp_code())
            return
        petition = load_demo()
        debate = load_demo_debate()
        self.stdout.write(
            f"Demo loaded: /cases/{petition.case.slug}/, /petitions/{petition.slug}/ and "
            f"/cases/{petition.case.slug}/debates/{debate.slug}/"
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
