"""Field encryption and blind indexes (ADR 0002).

Envelope encryption: every person has its own data key (a Fernet key). The data
key is stored wrapped by the installation's master keys (MultiFernet, newest
first). Identifying fields of the person and the free text of their signals are
encrypted with the person's data key, so

* rotating the master key only re-wraps one short token per person, and
* destroying one data key makes that person's identifying data unreadable
  everywhere (crypto-shredding, for erasure requests).

Exact look-up without decrypting uses a keyed HMAC "blind index" over
normalised name + birth date.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import unicodedata
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["InvalidToken", "blind_index", "DataKey", "master_cipher", "normalise_name"]


@lru_cache(maxsize=4)
def _master_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys if k.strip()])


def master_cipher() -> MultiFernet:
    return _master_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


@lru_cache(maxsize=4096)
def _unwrap(wrapped: str, keys: tuple[str, ...]) -> Fernet:
    # Cached: list pages decrypt many persons and unwrapping is the costly half.
    return Fernet(_master_for(keys).decrypt(wrapped.encode()))


class DataKey:
    """One person's data key: encrypts and decrypts that person's fields."""

    def __init__(self, wrapped: str):
        self.wrapped = wrapped

    @classmethod
    def generate(cls) -> DataKey:
        return cls(master_cipher().encrypt(Fernet.generate_key()).decode())

    @property
    def _fernet(self) -> Fernet:
        return _unwrap(self.wrapped, tuple(settings.FIELD_ENCRYPTION_KEYS))

    def encrypt_json(self, value: Any) -> str:
        payload = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
        return self._fernet.encrypt(payload.encode()).decode()

    def decrypt_json(self, token: str) -> Any:
        if not token:
            return None
        return json.loads(self._fernet.decrypt(token.encode()))

    def rewrapped(self) -> DataKey:
        """The same data key, wrapped with the newest master key."""
        return DataKey(master_cipher().rotate(self.wrapped.encode()).decode())


def normalise_name(value: str) -> str:
    """Case, diacritics, punctuation and spacing do not make a different name."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    kept = "".join(c if c.isalnum() else " " for c in letters.casefold())
    return " ".join(kept.split())


def blind_index(*, given_names: str, family_name: str, birth_date: str) -> str:
    """Keyed HMAC of normalised name + birth date; equal inputs give equal indexes."""
    message = "|".join(
        ["v1", normalise_name(given_names), normalise_name(family_name), birth_date or ""]
    )
    return hmac.new(
        settings.BLIND_INDEX_KEY.encode(), message.encode(), hashlib.sha256
    ).hexdigest()
