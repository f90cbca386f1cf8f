"""Create-or-update that writes only when something differs (so re-running a load is a no-op)."""

from __future__ import annotations

from typing import Any

from django.db import models


def upsert[M: models.Model](model: type[M], lookup: dict[str, Any], fields: dict[str, Any]) -> M:
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        return model._default_manager.create(**{**lookup, **fields})
    changed = [name for name, value in fields.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, fields[name])
        instance.save()
    return instance


def add_to_counters(
    model: type[models.Model],
    keys: list[str],
    counter: str,
    rows: list[dict[str, Any]],
    also: list[str] | None = None,
) -> None:
    """Add each row's `counter` to the row with the same `keys`, creating it if missing —
    one INSERT … ON CONFLICT (keys) DO UPDATE SET counter = counter + EXCLUDED.counter per
    500 rows, so a batch of counts is one statement, and concurrent adders cannot lose one.
    The fields in `also` are set to the row's values. Both PostgreSQL and SQLite (3.24+) read
    it; `keys` must be a unique constraint's fields."""
    if not rows:
        return
    from django.db import connection

    meta, quote = model._meta, connection.ops.quote_name
    also = also or []
    names = [*keys, *also, counter]
    fields: list[Any] = [meta.get_field(name) for name in names]
    columns = ", ".join(quote(field.column) for field in fields)
    conflict = ", ".join(quote(field.column) for field in fields[: len(keys)])
    target = quote(fields[-1].column)
    updates = "".join(
        f", {quote(field.column)} = EXCLUDED.{quote(field.column)}"
        for field in fields[len(keys) : len(keys) + len(also)]
    )
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        values = ", ".join(["(" + ", ".join(["%s"] * len(names)) + ")"] * len(chunk))
        params = [
            field.get_db_prep_value(row[name], connection)
            for row in chunk
            for name, field in zip(names, fields, strict=True)
        ]
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values} "  # noqa: S608
            f"ON CONFLICT ({conflict}) DO UPDATE SET {target} = "
            f"{quote(meta.db_table)}.{target} + EXCLUDED.{target}{updates}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
