"""Each public petition's transparency log: its entries, tile nodes and signed checkpoints.

Append-only: rows are inserted by services.py in the transaction that changes the count, and
never updated or deleted (but for `LogEntry.signature`, which erasure sets to NULL).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from undersigned.petitions.models import Petition
from undersigned.signatures.models import Signature


class EntryKind(models.TextChoices):
    SIGNATURE = "signature", _("signature")
    INVALIDATION = "invalidation", _("invalidation")
    WITHDRAWAL = "withdrawal", _("withdrawal")
    PAPER = "paper", _("paper batch")
    TEXT = "text", _("petition text")


class LogEntry(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    index = models.BigIntegerField()
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    leaf_hash = models.BinaryField(max_length=32)
    payload = models.BinaryField()
    # The signature a "signature" entry stands for, so a later invalidation can name its leaf
    # and a receipt can show it. Erasure sets it to NULL: the leaf then links to nobody.
    signature = models.ForeignKey(
        Signature, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "index"], name="one_entry_per_index"),
        ]
        indexes = [models.Index(fields=["petition", "leaf_hash"], name="log_entry_by_leaf")]

    def __str__(self) -> str:
        return f"log {self.petition_id} entry {self.index} ({self.kind})"


class TileNode(models.Model):
    """The hash of a complete subtree of 256**level leaves: the entries of tiles above 0."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()  # the tile level (1 = subtrees of 256 leaves)
    index = models.BigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "level", "index"], name="one_tile_node"),
        ]

    def __str__(self) -> str:
        return f"log {self.petition_id} tile node {self.level}/{self.index}"


class LogHead(models.Model):
    """Where a petition's log stands: its size and the right edge of its tree (the hashes of
    the complete subtrees its size decomposes into), so appending needs no old leaf."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, primary_key=True,
                                    related_name="+")  # fmt: skip
    size = models.BigIntegerField(default=0)
    frontier = models.BinaryField(default=b"")

    def __str__(self) -> str:
        return f"log {self.petition_id} at size {self.size}"


class Checkpoint(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    size = models.BigIntegerField()
    root_hash = models.BinaryField(max_length=32)
    # The signed note exactly as served (C2SP tlog-checkpoint in a signed-note).
    note = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "size"], name="one_checkpoint_per_size"),
        ]

    def __str__(self) -> str:
        return f"log {self.petition_id} checkpoint {self.size}"
