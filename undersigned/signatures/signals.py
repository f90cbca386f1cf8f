"""What the signature side tells the layers above, inside the transaction that changes a count.

Receivers run in that same transaction (Django signals are synchronous), so whatever they
write — the transparency log — commits or rolls back with the count. A receiver's exception
rolls both back. Sent with the ids in ascending order.
"""

from django.dispatch import Signal

# Signatures just added to the public count: `signature_ids` (counting, or a reverted
# invalidation putting them back).
counted = Signal()

# Counted signatures just taken off it: `signature_ids`, and `reason` — a public category
# ("withdrawn", "erased", "invalidated: …"), never a person's data. Sent before rows go.
uncounted = Signal()

# Signatures about to be deleted at their signer's request (withdrawn or erased), counted or
# not: `signatures` as (id, petition id) pairs, and `reason` ("withdrawn" or "erased"). Sent
# before the rows go, inside the deleting transaction; the webhooks app turns it into
# `signature.erased` events (docs/webhooks.md).
deleted = Signal()
