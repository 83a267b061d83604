"""Writes for organisations, users and API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user, verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

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
def token_revoke(*, actor: User | None, user: User, prefix: str = "",
                 token_id: int | None = None) -> int:
    """Revoke the user's tokens still in force: all, the one with `prefix`, or `token_id`."""
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if prefix or token_id is not None:
        tokens = tokens.filter(prefix=prefix) if prefix else tokens.filter(pk=token_id or 0)
        if not tokens.exists():
            raise ApplicationError(
                _("%(user)s has no token in force that starts with “%(prefix)s”.")
                % {"user": user.username, "prefix": prefix} if prefix else
                _("This token is revoked already."), field="token")
    count = tokens.update(revoked_at=timezone.now())
    audit_record(actor=actor, action="token.revoke", obj=user,
                 detail={"count": count, **({"prefix": prefix} if prefix else {}),
                         **({"token": token_id} if token_id is not None else {})})
    return count


# -- two-factor login (docs/security.md) ------------------------------------------------

def _backup_codes(user: User) -> list[str]:
    """Fresh backup codes for the user's one backup device; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def totp_device_create(*, actor: User | None, user: User, confirmed: bool) -> TOTPDevice:
    """A new authenticator for `user`; unconfirmed until a code from it has been checked.

    An earlier unconfirmed one is reused, so reloading the set-up page keeps its secret.
    """
    if not confirmed:
        pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if pending is not None:
            return pending
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=confirmed)
    if confirmed:
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        audit_record(actor=actor, action="user.totp_enrol", obj=user)
    return device


@transaction.atomic
def totp_device_confirm(*, actor: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm a new authenticator with a code from it; returns the new backup codes.

    None when the code is wrong. Any other authenticator of the user is removed.
    """
    if device.confirmed or device.user_id != actor.pk or not device.verify_token(code):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    codes = _backup_codes(actor)
    audit_record(actor=actor, action="user.totp_enrol", obj=actor)
    return codes


def second_factor_verify(*, user: User, code: str) -> Device | None:
    """The confirmed device that accepts `code`: the authenticator, else a backup code.

    Each device throttles itself: every wrong code doubles its wait (django-otp).
    """
    code = "".join((code or "").split()).lower()
    if not code:
        return None
    # Six digits is an authenticator's code; a backup code has eight letters and digits.
    authenticator_code = code.isdigit() and len(code) == 6
    for device in devices_for_user(user):
        if isinstance(device, TOTPDevice) == authenticator_code:
            verified = verify_token(user, device.persistent_id, code)
            if verified is not None:
                return verified
    return None


@transaction.atomic
def login_record(*, actor: User, second_factor: str) -> None:
    """A finished login, on the audit log: who, when, and with which kind of second factor."""
    audit_record(actor=actor, action="user.login", obj=actor,
                 detail={"second_factor": second_factor})


@transaction.atomic
def backup_codes_renew(*, actor: User) -> list[str]:
    codes = _backup_codes(actor)
    audit_record(actor=actor, action="user.backup_codes_renew", obj=actor)
    return codes


@transaction.atomic
def two_factor_reset(*, actor: User | None, user: User) -> int:
    """Forget every second factor of `user` (a lost phone): the next login sets up anew."""
    count = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        count += 1
    audit_record(actor=actor, action="user.two_factor_reset", obj=user, detail={"count": count})
    return count


@transaction.atomic
def login_unlock(*, actor: User | None, username: str = "", address: str = "") -> int:
    """Lift a lockout of a username or a client address; returns the records removed."""
    if not username and not address:
        raise ApplicationError(_("Name the username or the address to unlock."),
                               field="username")
    count = axes_reset(username=username or None, ip=address or None)
    user = User.objects.filter(username=username).first() if username else None
    audit_record(actor=actor, action="user.unlock", obj=user,
                 detail={"username": username, "by_address": bool(address), "records": count})
    return count
