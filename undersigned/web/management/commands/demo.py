from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from undersigned.web.demo import DEMO_STAFF, DEMO_STAFF_PASSWORD, load_demo, load_demo_staff


class Command(BaseCommand):
    help = "Load the demo case and petition (safe to run again: it changes nothing twice)."

    def handle(self, *args: Any, **options: Any) -> None:
        petition = load_demo()
        self.stdout.write(
            f"Demo loaded: /cases/{petition.case.slug}/ and /petitions/{petition.slug}/"
        )
        if settings.DEBUG:  # never a known password on a production installation
            load_demo_staff()
            names = ", ".join(username for username, _role in DEMO_STAFF)
            self.stdout.write(
                f"Back office at /staff/: sign in as {names} "
                f"with the password {DEMO_STAFF_PASSWORD!r} (development only)."
            )
