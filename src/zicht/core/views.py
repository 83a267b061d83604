"""Error pages: the API answers in JSON even when no view matched the URL."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Same body as an id the actor may not see (`NotFound`): /persons/abc/ tells nothing more.
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)  # type: ignore[arg-type]
