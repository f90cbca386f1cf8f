"""The development outbox: emails kept instead of sent, readable in the browser (DEBUG only)."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from undersigned.notifications.models import OutboxEmail


def _require_dev_outbox() -> None:
    if not settings.DEV_OUTBOX:
        raise Http404("The outbox exists only in development")


def outbox(request: HttpRequest) -> HttpResponse:
    _require_dev_outbox()
    emails = OutboxEmail.objects.all()[:100]
    return render(request, "notifications/outbox.html", {"emails": emails})


def outbox_email(request: HttpRequest, pk: int) -> HttpResponse:
    _require_dev_outbox()
    email = get_object_or_404(OutboxEmail, pk=pk)
    return render(request, "notifications/outbox_email.html", {"email": email})
