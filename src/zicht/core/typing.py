"""Request types for code that only runs after the login check.

`request.user` is typed `User | AnonymousUser`, but views behind `@login_required` and API
views behind the default `IsAuthenticated` permission never see an anonymous user. These
annotations say so to the type checker; they change nothing at run time.
"""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework.request import Request

from zicht.organisations.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An HTML view's request after `@login_required`."""

    user: User


class AuthenticatedRequest(Request):
    """An API request after authentication and the `IsAuthenticated` permission."""

    user: User


def actor_of(request: HttpRequest) -> User:
    """The logged-in user of a request that already passed the login check.

    For shared helpers that take a plain request; anonymous requests are stopped by
    `@login_required` or `IsAuthenticated` before they get here.
    """
    user = request.user
    assert isinstance(user, User), "called before the login check"
    return user
