from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {"site_name": "Undersigned", "dev_outbox": settings.DEV_OUTBOX}


def csp_nonce(request: HttpRequest) -> dict:
    """django-csp's nonce under the name Django's own templates read (`{% csp_nonce_attr %}`:
    the admin's few inline styles and scripts). Lazy: only a page that uses it gets one."""
    nonce = getattr(request, "csp_nonce", None)
    return {"csp_nonce": nonce} if nonce is not None else {}
