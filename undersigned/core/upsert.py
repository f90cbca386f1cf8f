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
