"""One exception type for domain errors, mapped once to a clear HTTP answer."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    """A domain rule said no. `field` names the input at fault, if any."""

    status_code: int = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self) -> dict[str, Any]:
        return {self.field or "non_field_errors": [str(self.message)]}


class ConflictError(ApplicationError):
    status_code = status.HTTP_409_CONFLICT


class NotFound(ApplicationError):
    """The object does not exist *or* the actor may not know it exists."""

    status_code = status.HTTP_404_NOT_FOUND

    def __init__(self, message: str = "Not found."):
        super().__init__(message, code="not_found")


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, NotFound):
        return Response({"detail": exc.message}, status=exc.status_code)
    if isinstance(exc, ApplicationError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        body = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ParseError):
        # Malformed JSON has no field to name: the body itself is at fault.
        return Response({"body": [str(exc.detail)]}, status=status.HTTP_400_BAD_REQUEST)
    return exception_handler(exc, context)


logger = logging.getLogger("zicht.database")

# A full disk, a statement timeout, a restarting or unreachable server: the request was
# fine, the database could not take it. Seconds a client should wait before trying again.
DATABASE_RETRY_AFTER_SECONDS = 30


def database_unavailable_response(request: HttpRequest, exc: BaseException | None
                                  ) -> HttpResponse | None:
    """503 with a clear message when the database failed, else None; no stack trace shown.

    Every write is one transaction, so a failed one stored nothing; a connection lost at
    the very moment of COMMIT is the one case nobody can tell, hence "check whether".
    """
    if not isinstance(exc, OperationalError | InterfaceError):
        return None
    # The class and SQLSTATE only: a driver's message may quote the values of the row.
    cause = exc.__cause__
    logger.error("database unavailable: %s (sqlstate %s) on %s %s", type(cause or exc).__name__,
                 getattr(cause, "sqlstate", None) or "-", request.method, request.path)
    message = _("The database cannot take requests right now: it may be busy, full or "
                "restarting. Please try again in a few minutes. If you were saving something, "
                "check whether it was stored before you save it again.")
    headers = {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=503, headers=headers)
    # Rendered without the request: its context would read the session from that database.
    page = render_to_string("503.html", {"message": message})
    return HttpResponse(page, status=503, headers=headers)
