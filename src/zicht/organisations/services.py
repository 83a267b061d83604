"""Writes for organisations, users and API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zicht.audit.services import audit_record
from zicht.core.exceptions import ApplicationError, ConflictError

from .models import (
    DUTY_TO_REGISTER,
    ApiToken,
    Organisation,
    OrganisationKind,
    Role,
    User,
    hash_token,
    validate_municipality_code,
)


@transaction.atomic
def organisation_create(*, actor: User | None, name: str, kind: str,
                        municipality: str) -> Organisation:
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the organisation a name."), field="name")
    if kind not in OrganisationKind.values:
        raise ApplicationError(
            _("Unknown kind “%(kind)s”. Use one of: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(OrganisationKind.values)},
            field="kind",
        )
    municipality = (municipality or "").strip().upper()
    try:
        validate_municipality_code(municipality)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], field="municipality") from None
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ConflictError(_("An organisation with this name exists already."), field="name")
    organisation = Organisation.objects.create(
        name=name, kind=kind, municipality=municipality, must_register=kind in DUTY_TO_REGISTER
    )
    audit_record(actor=actor, action="organisation.create", obj=organisation)
    return organisation


@transaction.atomic
def user_create(*, actor: User | None, organisation: Organisation, role: str, username: str,
                password: str | None = None, email: str = "") -> User:
    if role not in Role.values:
        raise ApplicationError(
            _("Unknown role “%(role)s”. Use one of: %(roles)s.")
            % {"role": role, "roles": ", ".join(Role.values)},
            field="role",
        )
    username = (username or "").strip()
    if not username:
        raise ApplicationError(_("Give a username."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise ConflictError(_("This username is taken."), field="username")
    user = User(username=username, organisation=organisation, role=role, email=email)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ApplicationError(" ".join(exc.messages), field="password") from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    if role == Role.ADMIN:
        # Administrators manage organisations and users in the admin site, nothing else.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.user_permissions.set(Permission.objects.filter(
            content_type__app_label="organisations",
            content_type__model__in=["organisation", "user"],
        ))
    audit_record(actor=actor, action="user.create", obj=user, detail={"role": role})
    return user


@transaction.atomic
def token_create(*, actor: User | None, user: User, lifetime_days: int | None = None) -> str:
    """Make a new API token and return its key; only the hash is kept."""
    key = secrets.token_urlsafe(32)
    days = lifetime_days or settings.API_TOKEN_LIFETIME_DAYS
    token = ApiToken.objects.create(
        user=user, key_hash=hash_token(key), prefix=key[:8],
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(actor=actor, action="token.create", obj=token, detail={"user": user.pk})
    return key


@transaction.atomic
def token_revoke(*, actor: User | None, user: User) -> int:
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    audit_record(actor=actor, action="token.revoke", obj=user, detail={"count": count})
    return count
