from typing import Any

from django.core.management.base import BaseCommand, CommandError

from undersigned.transparency import tlog


class Command(BaseCommand):
    help = "Check a petition's log from outside, as anyone can: undersigned verify-log URL "
    "(the same as scripts/verify_log.py, which needs only Python and `cryptography`)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("url", help="the log, e.g. https://example.org/log/<petition>/")
        parser.add_argument("--key", help="the verifier key (default: the site's, trusted once)")
        parser.add_argument("--state", help="where the last checkpoint seen is kept")

    def handle(self, *args: Any, **options: Any) -> None:
        argv = [options["url"]]
        for name in ("key", "state"):
            if options[name]:
                argv += [f"--{name}", options[name]]
        if tlog.main(argv) != 0:
            raise CommandError("The log did not verify.")
