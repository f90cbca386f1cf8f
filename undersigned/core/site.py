"""The site's own public address, for links that leave it (emails, the API)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, **kwargs: str) -> str:
    """The full URL of a page: SITE_URL (the public address behind any proxy) and its path."""
    return settings.SITE_URL + reverse(viewname, kwargs=kwargs or None)


def site_authority() -> str:
    """The site's host (and port, if any) without the scheme: names that stand for the site,
    such as the transparency log's key name and checkpoint origins."""
    return urlsplit(settings.SITE_URL).netloc


def absolute_path_url(path: str) -> str:
    """The full URL of a path on this site that is no named page (an uploaded file's URL)."""
    return settings.SITE_URL + path
