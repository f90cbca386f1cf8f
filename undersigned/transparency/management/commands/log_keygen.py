from typing import Any

from django.core.management.base import BaseCommand

from undersigned.transparency import keys, tlog


class Command(BaseCommand):
    help = "Print a new Ed25519 key for LOG_SIGNING_KEY, and the public key to publish."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--name", default=None, help="the key's name (default: <host>/log)")

    def handle(self, *args: Any, **options: Any) -> None:
        skey = tlog.new_signer_key(options["name"] or keys.log_name())
        self.stdout.write(f"LOG_SIGNING_KEY={skey}")
        self.stdout.write(f"# public (verifier) key: {tlog.Signer(skey).verifier_key}")
