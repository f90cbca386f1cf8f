"""Public pages that are not about one petition: home, cases, privacy, health, errors."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from undersigned.campaigns.markdown import render_markdown
from undersigned.campaigns.selectors import get_published_case, published_cases, timeline_of
from undersigned.campaigns.selectors import updates_on as case_updates
from undersigned.petitions.selectors import open_petitions, petitions_on_case
from undersigned.privacy.retention.rules import retention_facts
from undersigned.signatures.selectors import count_snapshot
from undersigned.web.share import case_share_meta
from undersigned.worker import heartbeat


def _publicly_cacheable(response: HttpResponse) -> HttpResponse:
    """Let a CDN serve public pages for a while, and stale ones while it refreshes."""
    patch_cache_control(response, public=True, max_age=0, s_maxage=30, stale_while_revalidate=300)
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    petitions = [(petition, count_snapshot(petition)) for petition in open_petitions()[:12]]
    context = {
        "petitions": petitions,
        "cases": published_cases()[:12],
        "public_petitions": settings.PUBLIC_PETITIONS,
    }
    return _publicly_cacheable(render(request, "web/home.html", context))


@require_GET
def case_page(request: HttpRequest, slug: str) -> HttpResponse:
    case = get_published_case(slug)
    petitions = [(petition, count_snapshot(petition)) for petition in petitions_on_case(case)]
    updates = [(update, render_markdown(update.body)) for update in case_updates(case)]
    context = {
        "case": case,
        "story_html": render_markdown(case.story),
        "timeline": timeline_of(case),
        "updates": updates,
        "petitions": petitions,
        "share": case_share_meta(case, petitions),
    }
    return _publicly_cacheable(render(request, "web/case.html", context))


@require_GET
def switch_language(request: HttpRequest) -> HttpResponse:
    """Remember the chosen language in a cookie and go back (a plain link, no form token)."""
    language = request.GET.get("language", "")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice, written from configuration: who, what, why, how long, with whom."""
    context = {
        "controller": settings.PRIVACY_CONTROLLER,
        "controller_address": settings.PRIVACY_CONTROLLER_ADDRESS,
        "contact_email": settings.PRIVACY_CONTACT_EMAIL,
        "processors": settings.PRIVACY_PROCESSORS,
        "notice_version": settings.PRIVACY_NOTICE_VERSION,
        "retention": retention_facts(),
        "debate_contributor_days": settings.DEBATE_CONTRIBUTOR_DAYS,
    }
    return _publicly_cacheable(render(request, "web/privacy.html", context))


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """503 when the database does not answer; with ?worker=required, also when the task
    worker's last finished round is older than WORKER_STALE_SECONDS (docs/reliability.md).

    The worker's state is reported either way, so an operator sees a stuck worker."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        age = heartbeat.age_seconds()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    stale = age is None or age > settings.WORKER_STALE_SECONDS
    worker = {
        "status": "stale" if stale else "ok",
        "last_round_seconds_ago": None if age is None else round(age, 1),
        "stale_after_seconds": settings.WORKER_STALE_SECONDS,
    }
    if stale and request.GET.get("worker") == "required":
        return JsonResponse(
            {"status": "unavailable", "database": "ok", "worker": worker}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok", "worker": worker})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "web/500.html", status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "web/403_csrf.html", status=403)
