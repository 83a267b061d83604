"""Screening tools: outcomes, nothing stored, and the way into the registry for professionals."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from zicht.wegwijzer import screening
from zicht.wegwijzer.screening import Advice

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("items", "advice"), [
    ([], Advice.NONE),
    (["deception"], Advice.CONSULT),
    (["deception", "isolation"], Advice.CONSULT),
    (["deception", "debt_bondage"], Advice.REPORT),
    (["deception", "isolation", "excessive_overtime"], Advice.REPORT),
    (["retention_of_documents"], Advice.CONSULT),
])
def test_ilo_outcomes(items, advice):
    assert screening.evaluate(screening.ILO, items).advice == advice


def test_every_tool_has_items_and_ilo_has_the_eleven_indicators():
    assert len(screening.ILO.items) == 11
    assert len(screening.QUICKSCAN.items) == 10
    for tool in [*screening.TOOLS.values(), *screening.SIGNS.values()]:
        assert tool.items and len({item.key for item in tool.items}) == len(tool.items)


@pytest.mark.parametrize("tool", ["ilo", "quickscan", "sexual", "labour", "criminal",
                                  "forced_marriage", "surrogacy", "illegal_adoption"])
def test_each_tool_page_gives_an_outcome_without_storing_anything(client, tool):
    from zicht.audit.models import AuditEvent

    found = screening.TOOLS.get(tool) or screening.SIGNS[tool]
    keys = [item.key for item in found.items[:3]]
    response = client.get(f"/wegwijzer/screening/{tool}/", {"done": "1", "item": keys},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["outcome"].advice == Advice.REPORT
    assert "Advice: report." in response.content.decode()
    assert not response.cookies and not AuditEvent.objects.exists()


def test_no_ticks_means_no_indication(client):
    response = client.get("/wegwijzer/screening/quickscan/", {"done": "1"},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert "Advice: no indication." in response.content.decode()


def test_an_unknown_tool_is_not_found(client):
    assert client.get("/wegwijzer/screening/astrology/").status_code == 404


def test_a_logged_in_professional_can_take_the_outcome_to_a_new_signal(client, reporter):
    client.force_login(reporter)
    response = client.get("/wegwijzer/screening/labour/",
                          {"done": "1", "item": ["debt", "papers", "pay"]})
    html = response.content.decode()
    link = response.context["new_signal_url"] + "?" + response.context["outcome"].signal_query()
    assert link.replace("&", "&amp;") in html
    query = parse_qs(link.split("?", 1)[1])
    assert query["forms"] == ["labour"]
    assert set(query["indicators"]) == {"debt_bondage", "retention_of_documents",
                                        "withholding_of_wages"}


def test_visitors_without_an_account_get_no_registry_link(client):
    response = client.get("/wegwijzer/screening/labour/", {"done": "1", "item": ["debt", "papers"]})
    assert "/signals/new/" not in response.content.decode()
