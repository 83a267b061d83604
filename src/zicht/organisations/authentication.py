from __future__ import annotations

from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiToken, hash_token


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` against hashed, expiring, revocable tokens."""

    keyword = "Token"

    def authenticate_credentials(self, key: str):  # type: ignore[override]
        token = (
            ApiToken.objects.select_related("user", "user__organisation")
            .filter(key_hash=hash_token(key))
            .first()
        )
        if token is None or not token.is_valid or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        now = timezone.now()
        # Touch at most once a minute: a token used in a loop must not write every request.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
