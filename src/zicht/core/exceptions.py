"""One exception type for domain errors, mapped once to a clear HTTP answer."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
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
