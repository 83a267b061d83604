"""Error pages: the API answers in JSON even when no view matched the URL."""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from .exceptions import database_unavailable_response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Same body as an id the actor may not see (`NotFound`): /persons/abc/ tells nothing more.
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)  # type: ignore[arg-type]


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while it handles the exception, so sys.exc_info() still holds it: a
    # database failure outside any view (a middleware saving the session) is a 503 too.
    response = database_unavailable_response(request, sys.exc_info()[1])
    if response is not None:
        return response
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)
