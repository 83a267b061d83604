"""Safety of the public pages: headers, rate limits, proof of work, receipt codes.

No third-party service is involved. A client's address is only ever used as
input to a keyed HMAC that includes the time window, so it is not stored, and
two windows of the same client cannot be linked.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from .models import RateWindow, SpentChallenge

# Crockford-like alphabet without 0/O, 1/I/L, U: easy to read out and type.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 16


def conf(name: str) -> Any:
    defaults = {
        "WEGWIJZER_HMAC_KEY": settings.SECRET_KEY,
        "WEGWIJZER_RATE_LIMIT": 5,
        "WEGWIJZER_RATE_WINDOW_SECONDS": 600,
        "WEGWIJZER_POW_BITS": 16,
        "WEGWIJZER_POW_MAX_AGE_SECONDS": 1800,
        "WEGWIJZER_QUICK_EXIT_URL": "https://www.weeronline.nl/",
    }
    return getattr(settings, name, defaults[name])


def _keyed(message: str) -> str:
    return hmac.new(str(conf("WEGWIJZER_HMAC_KEY")).encode(), message.encode(),
                    hashlib.sha256).hexdigest()


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Headers for every public page: no referrer, nothing cached (the CSP is site-wide)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        response["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        # Nothing in the browser's cache or history shows what was looked at or typed.
        response["Cache-Control"] = "no-store"
        return response

    return wrapper


# -- a short-lived copy of public pages, per process ----------------------------------

PAGE_CACHE_SECONDS = 15.0
PAGE_CACHE_ENTRIES = 2048
_pages: OrderedDict[str, tuple[float, int, bytes, str, str]] = OrderedDict()
_pages_lock = threading.Lock()


def forget_cached_pages() -> None:
    with _pages_lock:
        _pages.clear()


def shared_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep a page that is the same for every visitor for PAGE_CACHE_SECONDS.

    Only for requests without a session: such a page depends on nothing but the
    address and the language. The page holds no personal data (answers are choices
    from a list, in the address already). Rules and directory changes show within
    PAGE_CACHE_SECONDS, the same delay as the rule book's own cache.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or (
                settings.SESSION_COOKIE_NAME in request.COOKIES):
            return view(request, *args, **kwargs)
        key = f"{get_language()}|{request.get_full_path()}"
        now = time.monotonic()
        with _pages_lock:
            hit = _pages.get(key)
            if hit is not None and hit[0] > now:
                _pages.move_to_end(key)
        if hit is not None and hit[0] > now:
            _, status, content, content_type, location = hit
            response = HttpResponse(content, status=status, content_type=content_type)
            if location:
                response["Location"] = location
            return response
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 302, 400) and not response.streaming:
            entry = (now + PAGE_CACHE_SECONDS, response.status_code, response.content,
                     response["Content-Type"], response.get("Location", ""))
            with _pages_lock:
                _pages[key] = entry
                _pages.move_to_end(key)
                while len(_pages) > PAGE_CACHE_ENTRIES:
                    _pages.popitem(last=False)
        return response

    return wrapper


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


# -- rate limit -------------------------------------------------------------------

def rate_hit(*, action: str, address: str, now: datetime | None = None) -> int:
    """Count one attempt of `action` by this client; returns the count in this window."""
    now = now or timezone.now()
    seconds = int(conf("WEGWIJZER_RATE_WINDOW_SECONDS"))
    window = int(now.timestamp()) // seconds
    start = datetime.fromtimestamp(window * seconds, tz=UTC)
    client = _keyed(f"rate|{action}|{window}|{address}")
    with transaction.atomic():
        # Past windows are of no use any more: forget them.
        RateWindow.objects.filter(window_start__lt=start).delete()
        row, _ = RateWindow.objects.get_or_create(action=action, client=client,
                                                  window_start=start)
        RateWindow.objects.filter(pk=row.pk).update(count=F("count") + 1)
        return RateWindow.objects.values_list("count", flat=True).get(pk=row.pk)


def over_limit(count: int) -> bool:
    return count > int(conf("WEGWIJZER_RATE_LIMIT"))


# -- proof of work (hashcash) -----------------------------------------------------

_POW_SALT = "zicht.wegwijzer.pow"


def pow_challenge() -> str:
    """A signed, timestamped challenge: 'bits:random', to be solved in the browser."""
    return signing.TimestampSigner(salt=_POW_SALT).sign(
        f"{int(conf('WEGWIJZER_POW_BITS'))}:{secrets.token_hex(12)}")


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + (8 - byte.bit_length())
    return bits


def solve(challenge: str, bits: int) -> str:
    """The smallest nonce for a challenge (tests and the benchmark's client use it)."""
    nonce = 0
    while leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()) < bits:
        nonce += 1
    return str(nonce)


@dataclass(frozen=True)
class ProofCheck:
    ok: bool
    reason: str = ""


def pow_verify(challenge: str, nonce: str) -> ProofCheck:
    """Signed by us, not too old, hard enough, solved, and not used before."""
    if not challenge or not nonce:
        return ProofCheck(False, "missing")
    max_age = int(conf("WEGWIJZER_POW_MAX_AGE_SECONDS"))
    try:
        payload = signing.TimestampSigner(salt=_POW_SALT).unsign(challenge, max_age=max_age)
    except signing.SignatureExpired:
        return ProofCheck(False, "expired")
    except signing.BadSignature:
        return ProofCheck(False, "invalid")
    bits_text, _, _ = payload.partition(":")
    if not bits_text.isdigit() or int(bits_text) < int(conf("WEGWIJZER_POW_BITS")):
        return ProofCheck(False, "invalid")
    if len(nonce) > 20 or not nonce.isdigit():
        return ProofCheck(False, "wrong")
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    if leading_zero_bits(digest) < int(bits_text):
        return ProofCheck(False, "wrong")
    now = timezone.now()
    try:
        with transaction.atomic():
            SpentChallenge.objects.filter(expires_at__lt=now).delete()
            SpentChallenge.objects.create(
                digest=hashlib.sha256(challenge.encode()).hexdigest(),
                expires_at=now + timedelta(seconds=max_age))
    except IntegrityError:
        return ProofCheck(False, "used")
    return ProofCheck(True)


# -- receipt codes ------------------------------------------------------------------

def new_receipt_code() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def normalise_receipt_code(value: str) -> str:
    return "".join(c for c in (value or "").upper() if c.isalnum())


def receipt_hash(code: str) -> str:
    return _keyed(f"receipt|{normalise_receipt_code(code)}")
