"""A URLconf for the framing test: the real site, plus one view that opts in to being framed."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from undersigned.config.urls import urlpatterns as site
from undersigned.core.framing import frameable_by_any_site


@frameable_by_any_site
def embed(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>12,345 signatures</p>")


urlpatterns = [path("test-embed/", embed), *site]
