"""`Idempotency-Key` on POST: a retried request gets the first answer, not a duplicate."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from .models import IdempotencyRecord
from .typing import actor_of

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 128


def _fingerprint(request: Request) -> str:
    payload = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{payload}".encode()).hexdigest()


def _replay(record: IdempotencyRecord, fingerprint: str,
            show: Callable[[int], Response] | None) -> Response:
    if record.request_hash != fingerprint:
        return Response(
            {HEADER: ["This key was already used for a different request; use a new key."]},
            status=status.HTTP_409_CONFLICT,
        )
    # With `show`, shown anew: the access check and the audit row of an ordinary read.
    response = Response(record.body) if show is None else show(record.body["id"])
    response.status_code = record.status_code
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(request: Request, handler: Callable[[], Response],
               show: Callable[[int], Response] | None = None) -> Response:
    """Run `handler` once per key; a retry gets the first answer.

    With `show`, only the created object's id is kept and a retry gets `show(id)`: pass it
    when the answer holds personal data, which must live encrypted in its own table only.
    """
    key = request.headers.get(HEADER)
    if not key:
        return handler()
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        return Response({HEADER: [f"Use at most {MAX_KEY_LENGTH} printable characters."]},
                        status=status.HTTP_400_BAD_REQUEST)
    fingerprint = _fingerprint(request)
    user = actor_of(request)
    assert request.method is not None  # Django sets it on every request it routes
    existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if existing is not None:
        return _replay(existing, fingerprint, show)
    try:
        with transaction.atomic():
            response = handler()
            if status.is_success(response.status_code):
                # Same transaction as the change: either both are stored or neither.
                IdempotencyRecord.objects.create(
                    user=user, key=key, method=request.method, path=request.path,
                    request_hash=fingerprint, status_code=response.status_code,
                    body=response.data if show is None else {"id": response.data["id"]},
                )
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer as it did.
        existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is None:
            raise
        return _replay(existing, fingerprint, show)
    return response
