from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .access import may_see_figures


def figures_menu(request: HttpRequest) -> dict[str, Any]:
    """Whether the menu offers figures: the same rule the figures pages apply."""
    return {"may_see_figures": may_see_figures(getattr(request, "user", None))}
