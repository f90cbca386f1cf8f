from typing import Any

from django.core.management.base import BaseCommand

from undersigned.web.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo case and petition (safe to run again: it changes nothing twice)."

    def handle(self, *args: Any, **options: Any) -> None:
        petition = load_demo()
        self.stdout.write(
            f"Demo loaded: /cases/{petition.case.slug}/ and /petitions/{petition.slug}/"
        )
