"""Visitors who are not logged in and open the site root get the public guide."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


class PublicStartMiddleware:
    """`/` is the registry's worklist for staff; everyone else lands on the Wegwijzer.

    Runs after AuthenticationMiddleware. Only the exact root path is touched.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/" and not request.user.is_authenticated:
            return redirect("wegwijzer:start")
        return self.get_response(request)
