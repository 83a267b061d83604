"""Error pages, the health check and the metrics for the operator (docs/deploy.md).

The API answers in JSON even when no view matched the URL.
"""

from __future__ import annotations

import hmac
import ipaddress
import sys

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .exceptions import database_unavailable_response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Same body as an id the actor may not see (`NotFound`): /persons/abc/ tells nothing more.
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)  # type: ignore[arg-type]


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 naming what failed. No login, no person data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 -- any failure means "not healthy"
        # The error's type only: its message can name the host, user or database.
        return JsonResponse({"status": "unavailable",
                             "failed": {"database": type(error).__name__}}, status=503)
    return JsonResponse({"status": "ok"})


def access_metrics(request: HttpRequest) -> None:
    """Metrics only for a configured address or the configured bearer token; 404 for others.

    The address is the direct peer (REMOTE_ADDR), never X-Forwarded-For: behind a reverse
    proxy every request comes from the proxy, which is why the proxy must not pass /metrics.
    """
    token = settings.METRICS_BEARER_TOKEN
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        raise Http404 from None
    if any(peer in network for network in settings.METRICS_ALLOWED_NETWORKS):
        return
    raise Http404


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format, from django-prometheus (multi-process aware)."""
    access_metrics(request)
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while it handles the exception, so sys.exc_info() still holds it: a
    # database failure outside any view (a middleware saving the session) is a 503 too.
    response = database_unavailable_response(request, sys.exc_info()[1])
    if response is not None:
        return response
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)
