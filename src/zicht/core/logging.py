"""Structured logs: one JSON object per line, and one line per request.

What a line may hold is fixed here, not by whoever calls the logger: time, level,
logger, message, request id, and for the request line its method, path (never the
query string, where a name or birth date can sit in a search), status and duration.
Extra attributes passed to a logger are dropped, so a record that carries a
request or a person cannot spill it into the log (AVG art. 5(1)(c), data
minimisation). docs/deploy.md describes the fields.
"""

from __future__ import annotations

import json
import logging
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

from .middleware import current_request_id

request_logger = logging.getLogger("zicht.request")

# The request line's own fields; set by RequestLogMiddleware through `extra`.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON with a fixed set of keys."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            # Django logs a 4xx/5xx after the middleware has finished: the id is on the request.
            "request_id": current_request_id() or getattr(
                getattr(record, "request", None), "request_id", ""),
        }
        for name in REQUEST_FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            # The exception's type and the stack, not its message: messages of database
            # errors quote the row that failed, which can be a person's.
            line["exception"] = record.exc_info[0].__name__ if record.exc_info[0] else ""
            line["stack"] = "".join(traceback.format_tb(record.exc_info[2]))
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestLogMiddleware:
    """Logs every request once it is answered: method, path, status and duration."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        request_logger.info(
            "%s %s %s", request.method, request.path, response.status_code,
            extra={"method": request.method, "path": request.path,
                   "status": response.status_code, "duration_ms": duration_ms},
        )
        return response
