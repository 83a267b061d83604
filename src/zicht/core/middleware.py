"""Request id for the audit log, a body size limit that answers in JSON, database failures,
and the CSP."""

from __future__ import annotations

import contextvars
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Takes X-Request-ID from a trusted proxy when it looks sane, else makes one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        request.request_id = request_id  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class ApiBodySizeMiddleware:
    """DRF reads the raw stream, past Django's own size check, so the API gets its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return JsonResponse({"body": ["Content-Length is not a number."]}, status=400)
            if length > settings.API_MAX_BODY_BYTES:
                return JsonResponse(
                    {"body": [f"Request body is {length} bytes; the limit is "
                              f"{settings.API_MAX_BODY_BYTES} bytes."]},
                    status=413,
                )
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A view that hit a full disk, a timeout or a lost connection answers 503, not 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Imported here: the logging configuration loads this module (for the request id)
        # before Django's apps are ready, and `exceptions` imports DRF, which needs them.
        from .exceptions import database_unavailable_response

        return database_unavailable_response(request, exception)


class ContentSecurityPolicyMiddleware:
    """One Content-Security-Policy on every response: pages, API, admin, errors.

    The policy is settings.CONTENT_SECURITY_POLICY: scripts, styles, fonts and connections
    from zicht itself only, no inline script or style, no framing. A response that carries
    its own policy keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
