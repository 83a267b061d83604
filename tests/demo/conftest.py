from __future__ import annotations

import pytest
from django.test import override_settings


@pytest.fixture(autouse=True, scope="module")
def _fast_password_hashing():  # type: ignore[no-untyped-def]
    """The demo logins' passwords are hashed once per load; the real hasher takes seconds."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield
