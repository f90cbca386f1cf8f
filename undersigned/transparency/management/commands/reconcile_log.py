from typing import Any

from django.core.management.base import BaseCommand, CommandError

from undersigned.petitions.selectors import public_petitions
from undersigned.transparency.reconcile import reconcile, repair


class Command(BaseCommand):
    help = "Rebuild each public petition's transparency log from its rows and compare it with "
    "its signed checkpoint and its count; --repair appends the entries that are missing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slugs", nargs="*", help="only these petitions")
        parser.add_argument("--repair", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        petitions = public_petitions().select_related("case").order_by("id")
        if options["slugs"]:
            petitions = petitions.filter(slug__in=options["slugs"])
        bad = 0
        for petition in petitions:
            found = repair(petition, acting_user=None) if options["repair"] else reconcile(petition)
            state = "OK" if found.agrees else "DIFFERS"
            self.stdout.write(f"{state} {found.slug}: {found.size} entries, log count "
                              f"{found.log_count}, page count {found.page_count}")  # fmt: skip
            for problem in found.problems:
                self.stdout.write(f"  - {problem}")
            bad += not found.agrees
        if bad:
            raise CommandError(f"{bad} logs differ from their counts")
