"""Privacy-preserving record linkage with Bloom-filter encodings (ADR 0006).

A participant that may not share identities encodes each record locally into a
cryptographic long-term key (CLK, Schnell et al. 2011): the bigrams of each
normalised field are hashed into one 1024-bit filter with keyed double hashing
(HMAC-SHA256 under two secrets shared among the participants only), and only the
filter leaves the organisation. zicht compares filters by their Dice
coefficient; it never holds the key material nor any identity.

Mitigations against frequency attacks (see the ADR): the year of birth salts
the name bigrams, so the same name in different birth cohorts sets different
bits; each field gets its own number of hash functions; the encoding is
produced from the same normalisation (transliteration, diacritics) the
plain-text model uses, so romanisation variants still share bigrams.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .comparisons import name_key, parse_birth

BITS = 1024
BYTES = BITS // 8
ENCODING_LENGTH = len(base64.b64encode(bytes(BYTES)))  # 172 characters of base64
# Hash functions per bigram, per field: names weigh most, address fields least.
DEFAULT_FIELD_HASHES = {
    "given_name": 20, "family_name": 20, "birth_date": 12, "sex": 4,
    "address": 8, "suburb": 8, "postcode": 8,
}
DEFAULT_THRESHOLD = 0.60


class EncodingError(ValueError):
    """An encoding that is not 1024 bits of base64."""


@dataclass(frozen=True)
class Secret:
    """The two HMAC keys shared among participants; never sent to zicht."""

    key1: bytes
    key2: bytes

    @classmethod
    def from_passphrase(cls, passphrase: str) -> Secret:
        # Two independent keys from one shared passphrase (domain-separated).
        root = hashlib.sha256(passphrase.encode()).digest()
        return cls(
            hmac.new(root, b"zicht-pprl-key-1", hashlib.sha256).digest(),
            hmac.new(root, b"zicht-pprl-key-2", hashlib.sha256).digest(),
        )


def bigrams(text: str) -> list[str]:
    """Padded bigrams: "_a", "an", "nn", "na", "a_" for "anna"."""
    if not text:
        return []
    padded = f"_{text}_"
    return [padded[i:i + 2] for i in range(len(padded) - 1)]


def _positions(token: bytes, hashes: int, secret: Secret) -> list[int]:
    # Keyed double hashing: g_i(x) = (h1(x) + i * h2(x)) mod m (Kirsch & Mitzenmacher).
    h1 = int.from_bytes(hmac.digest(secret.key1, token, "sha256")[:8], "big")
    h2 = int.from_bytes(hmac.digest(secret.key2, token, "sha256")[:8], "big")
    h2 |= 1  # odd, so the positions cycle through the whole filter
    return [(h1 + i * h2) % BITS for i in range(hashes)]


def field_tokens(field: str, value: str | None, *, salt: str = "") -> list[str]:
    """The tokens one field contributes; names go through the plain-text
    model's normalisation so transliteration variants share bigrams."""
    if not value:
        return []
    if field in ("given_name", "family_name"):
        text = name_key(value)
    elif field == "birth_date":
        iso, year = parse_birth(value)
        # Year, month and day as separate tokens: a day/month swap or a
        # one-year error still shares two of three.
        if iso:
            return [f"y{iso[:4]}", f"m{iso[5:7]}", f"d{iso[8:10]}",
                    f"md{iso[5:7]}{iso[8:10]}"]
        return [f"y{year}"] if year else []
    else:
        text = "".join(ch for ch in str(value).lower() if ch.isalnum())
    return [f"{salt}{gram}" for gram in bigrams(text)]


def encode(record: dict[str, str | None], secret: Secret, *,
           field_hashes: dict[str, int] | None = None, salt_with_year: bool = False) -> bytes:
    """One record's CLK: 128 bytes."""
    hashes = field_hashes or DEFAULT_FIELD_HASHES
    salt = ""
    if salt_with_year:
        _, year = parse_birth(record.get("birth_date"), record.get("birth_year"))
        salt = f"{year or ''}"
    bits = 0
    for field, count in hashes.items():
        field_salt = salt if field in ("given_name", "family_name") else ""
        # Given and family name share one token space, so a swapped name still
        # sets the same bits (Chinese and Vietnamese order; a clerk's mistake).
        space = "name" if field in ("given_name", "family_name") else field
        for token in field_tokens(field, record.get(field), salt=field_salt):
            for position in _positions(f"{space}:{token}".encode(), count, secret):
                bits |= 1 << position
    return bits.to_bytes(BYTES, "big")


def to_text(encoding: bytes) -> str:
    return base64.b64encode(encoding).decode("ascii")


def from_text(text: str) -> bytes:
    """Decode one uploaded encoding; wrong length or alphabet → EncodingError."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError) as error:
        raise EncodingError("encoding is not valid base64") from error
    if len(raw) != BYTES:
        raise EncodingError(f"encoding must be {BITS} bits ({BYTES} bytes), got {len(raw) * 8}")
    return raw


def dice(a: bytes, b: bytes) -> float:
    x, y = np.frombuffer(a, np.uint8), np.frombuffer(b, np.uint8)
    both = int(np.bitwise_count(x & y).sum())
    total = int(np.bitwise_count(x).sum() + np.bitwise_count(y).sum())
    return 2 * both / total if total else 0.0


def _matrix(encodings: Sequence[bytes]) -> np.ndarray:
    return np.frombuffer(b"".join(encodings), dtype=np.uint64).reshape(len(encodings), BYTES // 8)


def similar_pairs(
    left: Sequence[bytes], right: Sequence[bytes] | None = None, *,
    threshold: float = DEFAULT_THRESHOLD, chunk: int = 128,
) -> list[tuple[int, int, float]]:
    """(i, j, Dice) for every pair at or above the threshold; all against all,
    vectorised in chunks. Without `right`, pairs within `left` (i < j)."""
    if not left or (right is not None and not right):
        return []
    a = _matrix(left)
    b = a if right is None else _matrix(right)
    count_a = np.bitwise_count(a).sum(axis=1).astype(np.int32)
    count_b = np.bitwise_count(b).sum(axis=1).astype(np.int32)
    found: list[tuple[int, int, float]] = []
    for start in range(0, len(a), chunk):
        block = a[start:start + chunk]
        common = np.bitwise_count(block[:, None, :] & b[None, :, :]).sum(axis=2)
        denominator = count_a[start:start + chunk, None] + count_b[None, :]
        scores = np.divide(2 * common, denominator, out=np.zeros(common.shape),
                           where=denominator > 0)
        rows, columns = np.nonzero(scores >= threshold)
        for row, column in zip(rows, columns, strict=True):
            i, j = start + int(row), int(column)
            if right is None and j <= i:
                continue
            found.append((i, j, float(scores[row, column])))
    return found


def one_to_one(pairs: Iterable[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Greedy best-first assignment: each record links at most once per side
    (two lists without duplicates inside each, as in FEBRL4)."""
    taken_left: set[int] = set()
    taken_right: set[int] = set()
    kept = []
    for i, j, score in sorted(pairs, key=lambda pair: -pair[2]):
        if i in taken_left or j in taken_right:
            continue
        taken_left.add(i)
        taken_right.add(j)
        kept.append((i, j, score))
    return kept
