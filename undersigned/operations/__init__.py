"""Operations: /metrics, per-request metrics and the access log (docs/operations.md)."""
