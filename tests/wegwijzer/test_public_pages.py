"""The public pages: no cookies, strict headers, languages, the root redirect."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/wegwijzer/",
    "/wegwijzer/questions/",
    "/wegwijzer/questions/?who=worried&danger=no",
    "/wegwijzer/advice/?who=self&danger=yes&minor=unsure&what=sex&where=",
    "/wegwijzer/directory/",
    "/wegwijzer/directory/?municipality=Rotterdam&form=labour&language=pl",
    "/wegwijzer/report/",
    "/wegwijzer/report/add/",
    "/wegwijzer/screening/",
    "/wegwijzer/screening/ilo/",
    "/wegwijzer/screening/quickscan/?done=1&item=papers",
    "/wegwijzer/screening/sexual/",
    "/wegwijzer/safety/",
]
# What the start page's main heading says in each language.
HEADINGS = {
    "nl": "Waar kan ik uitbuiting melden?",
    "en": "Where can I report exploitation?",
    "ro": "Unde pot raporta exploatarea?",
    "bg": "Къде мога да съобщя за експлоатация?",
    "pl": "Gdzie mogę zgłosić wyzysk?",
    "uk": "Куди повідомити про експлуатацію?",
}


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_public_page_sets_no_cookie_and_sends_strict_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies, f"{url} set {list(response.cookies)}"
    policy = response["Content-Security-Policy"]
    assert policy == settings.CONTENT_SECURITY_POLICY
    for directive in ("default-src 'self'", "script-src 'self'", "form-action 'self'",
                      "frame-ancestors 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "<script>" not in html and " style=" not in html and "onclick" not in html
    # Only our own static files: nothing from another host.
    assert 'src="http' not in html and 'href="//' not in html


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_has_the_quick_exit_and_the_language_switch(client, url):
    html = client.get(url).content.decode()
    assert 'id="quick-exit"' in html and 'href="https://www.weeronline.nl/"' in html
    for code in HEADINGS:
        assert f'hreflang="{code}"' in html


def test_a_refused_signal_sets_no_cookie_either(client):
    response = client.post("/wegwijzer/report/", {"reporter": "self"})
    assert response.status_code == 400
    assert not response.cookies


@pytest.mark.parametrize(("language", "heading"), HEADINGS.items())
def test_the_guide_speaks_each_language(client, language, heading):
    html = client.get("/wegwijzer/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html


@pytest.mark.parametrize("language", ["ro", "bg", "pl", "uk", "en"])
def test_the_questions_and_reasons_come_in_the_chosen_language(client, language):
    from zicht.wegwijzer.routing import default_rule_data

    data = default_rule_data()
    question = client.get("/wegwijzer/questions/", HTTP_ACCEPT_LANGUAGE=language)
    assert data["questions"][0]["text"][language] in question.content.decode()
    advice = client.get("/wegwijzer/advice/?who=self&danger=yes&minor=no&what=work&where=",
                        HTTP_ACCEPT_LANGUAGE=language)
    reason = next(r for r in data["rules"] if r["key"] == "danger-now")["reason"][language]
    assert reason in advice.content.decode()


def test_the_language_link_keeps_the_page_and_sets_only_the_language_cookie(client):
    response = client.get("/wegwijzer/language/?lang=pl&next=/wegwijzer/questions/%3Fwho%3Dself")
    assert response.status_code == 302
    assert response["Location"] == "/wegwijzer/questions/?who=self"
    assert list(response.cookies) == ["django_language"]
    cookie = response.cookies["django_language"]
    assert cookie.value == "pl" and not cookie["expires"] and not cookie["max-age"]
    page = client.get("/wegwijzer/")
    assert HEADINGS["pl"] in page.content.decode()


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/"])
def test_the_language_link_never_sends_visitors_to_another_site(client, target):
    response = client.get("/wegwijzer/language/", {"lang": "uk", "next": target})
    assert response["Location"] == "/wegwijzer/"


def test_an_anonymous_visitor_of_the_root_lands_on_the_guide(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/wegwijzer/"
    assert not response.cookies


def test_a_logged_in_user_still_gets_the_registry_at_the_root(client, reporter):
    client.force_login(reporter)
    response = client.get("/")
    assert response.status_code == 200
    assert response.resolver_match.view_name == "registry:worklist"


def test_the_registry_offers_only_dutch_and_english(client, reporter):
    client.force_login(reporter)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'name="language" value="en"' in html
    for code in ("ro", "bg", "pl", "uk"):
        assert f'name="language" value="{code}"' not in html


def test_without_a_published_rule_set_the_guide_says_so(client):
    from zicht.wegwijzer.models import RuleSet

    RuleSet.objects.all().delete()
    response = client.get("/wegwijzer/questions/")
    assert response.status_code == 503
    assert "112" in response.content.decode()


def test_a_published_rule_change_shows_at_once_in_this_process(client):
    from zicht.wegwijzer import services
    from zicht.wegwijzer.models import RuleSet, RuleSetStatus

    url = "/wegwijzer/questions/"
    assert "Voor wie zoekt u hulp?" in client.get(url).content.decode()
    current = RuleSet.objects.get(status=RuleSetStatus.PUBLISHED)
    draft = services.ruleset_copy(actor=None, ruleset_id=current.pk)
    draft.questions.filter(key="who").update(text={"nl": "Wie heeft hulp nodig?"})
    with __import__("django").test.TestCase.captureOnCommitCallbacks(execute=True):
        services.ruleset_publish(actor=None, ruleset_id=draft.pk)
    assert "Wie heeft hulp nodig?" in client.get(url).content.decode()
