from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "undersigned.transparency"
    verbose_name = "transparency log"

    def ready(self) -> None:
        from undersigned.signatures.receipts import register_leaf_index
        from undersigned.transparency import receivers  # noqa: F401 - connects them
        from undersigned.transparency.selectors import receipt_of

        register_leaf_index(receipt_of)
