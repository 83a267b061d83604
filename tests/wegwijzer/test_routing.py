"""Every path through the guide's questions, walked as a visitor would, and the rules' invariants."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from zicht.core.exceptions import ApplicationError
from zicht.wegwijzer import routing, services
from zicht.wegwijzer.models import RuleSet, RuleSetStatus

DEFAULT = routing.RuleBook.from_data(routing.default_rule_data())
PATHS = list(DEFAULT.paths())


def _id(answers: dict[str, str]) -> str:
    return "-".join(f"{k}={v}" for k, v in answers.items() if v) or "none"


def test_the_default_rules_have_no_problems_and_many_paths():
    keys = {entry["key"] for entry in routing.default_rule_data()["entries"]}
    assert DEFAULT.problems(known_entries=keys) == []
    # who 3 × (danger yes: minor 3 × what 9 + danger no: minor 3 × what 9 × police 3)
    assert len(PATHS) == 3 * (27 + 81)


@pytest.mark.django_db
def test_the_seeded_rule_set_is_the_default_data():
    published = RuleSet.objects.get(status=RuleSetStatus.PUBLISHED)
    book = routing.RuleBook.from_ruleset(published)
    assert [q.key for q in book.questions] == [q.key for q in DEFAULT.questions]
    assert list(book.paths()) == PATHS
    assert book.rules == DEFAULT.rules


@pytest.mark.django_db
@pytest.mark.parametrize("answers", PATHS, ids=[_id(a) for a in PATHS])
def test_every_path_through_the_questions_ends_in_fitting_advice(client, answers):
    given: dict[str, str] = {}
    # Walk the questions one page at a time, as the form would submit them.
    for key, value in answers.items():
        page = client.get("/wegwijzer/questions/?" + urlencode(given))
        assert page.status_code == 200
        assert f'name="{key}"' in page.content.decode(), f"expected question {key}"
        given[key] = value
    done = client.get("/wegwijzer/questions/?" + urlencode(given))
    assert done.status_code == 302 and done["Location"].startswith("/wegwijzer/advice/")
    advice = client.get(done["Location"])
    assert advice.status_code == 200
    html = advice.content.decode()
    shown = advice.context["urgent"] + advice.context["items"]
    keys = [item["entry"].key for item in shown]
    assert keys, "every path names at least one place"

    # The domain's rules, checked directly rather than through the rule engine.
    if answers["danger"] == "yes":
        assert keys[0] == "alarmnummer-112" and "tel:112" in html
    else:
        assert "alarmnummer-112" not in keys
    assert ("veilig-thuis" in keys) == (answers["minor"] in ("yes", "unsure"))
    police = answers.get("police")
    assert ("politie" in keys) == (police == "yes")
    assert ("meld-misdaad-anoniem" in keys) == (police in ("no", "unsure"))
    assert ("arbeidsinspectie" in keys) == (answers["what"] in ("work", "begging"))
    assert ("fairwork" in keys) == (answers["what"] in ("work", "begging")
                                    and answers["who"] != "professional")
    assert "comensha" in keys
    for item in shown:
        assert item["reasons"], f"{item['entry'].key} is named without a reason"


@pytest.mark.django_db
def test_a_municipality_adds_the_regional_desk(client):
    import random

    from zicht.wegwijzer.demo import populate

    populate(rng=random.Random(3))
    answers = {"who": "self", "danger": "no", "minor": "no", "what": "work", "police": "no",
               "where": "Utrecht"}
    done = client.get("/wegwijzer/questions/?" + urlencode(answers))
    assert "where=GM0344" in done["Location"]
    advice = client.get(done["Location"])
    nearby = advice.context["nearby"]
    assert nearby and all(item["entry"].region == "PV26" for item in nearby)
    assert "Utrecht" in advice.content.decode()


@pytest.mark.django_db
def test_an_unknown_municipality_is_asked_again_with_what_was_typed(client):
    answers = {"who": "self", "danger": "no", "minor": "no", "what": "sex", "police": "yes",
               "where": "Atlantis"}
    page = client.get("/wegwijzer/questions/?" + urlencode(answers))
    assert page.status_code == 400
    html = page.content.decode()
    assert "Atlantis" in html and 'name="where"' in html


@pytest.mark.django_db
def test_a_hand_made_address_cannot_skip_questions(client):
    page = client.get("/wegwijzer/advice/?who=self&police=no")
    assert page.status_code == 302 and "questions" in page["Location"]
    assert "police" not in page["Location"]


@pytest.mark.django_db
def test_choosing_nothing_says_so(client):
    page = client.get("/wegwijzer/questions/?asked=who", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400
    html = page.content.decode()
    assert 'name="who"' in html and "Choose one of the answers." in html


@pytest.mark.django_db
def test_a_draft_copy_is_published_and_retires_the_old_version():
    current = RuleSet.objects.get(status=RuleSetStatus.PUBLISHED)
    draft = services.ruleset_copy(actor=None, ruleset_id=current.pk)
    assert draft.status == RuleSetStatus.DRAFT and draft.version == current.version + 1
    rule = draft.rules.get(key="care")
    rule.reason = {**rule.reason, "nl": "Nieuwe reden."}
    rule.save()
    services.ruleset_publish(actor=None, ruleset_id=draft.pk)
    current.refresh_from_db()
    assert current.status == RuleSetStatus.RETIRED
    routing.forget_cached_rulebook()
    book = routing.current_rulebook()
    assert book is not None and book.version == draft.version
    assert next(r for r in book.rules if r.key == "care").reason["nl"] == "Nieuwe reden."


@pytest.mark.django_db
def test_a_draft_naming_an_unknown_desk_is_not_published():
    current = RuleSet.objects.get(status=RuleSetStatus.PUBLISHED)
    draft = services.ruleset_copy(actor=None, ruleset_id=current.pk)
    draft.rules.filter(key="care").update(entries=["no-such-desk"])
    with pytest.raises(ApplicationError, match="no-such-desk"):
        services.ruleset_publish(actor=None, ruleset_id=draft.pk)
    current.refresh_from_db()
    assert current.status == RuleSetStatus.PUBLISHED


def test_rules_pointing_at_answers_that_do_not_exist_are_problems():
    data = routing.default_rule_data()
    data["rules"][0]["when"] = {"danger": ["maybe"]}
    data["questions"][4]["ask_if"] = {"later": ["x"]}
    problems = routing.RuleBook.from_data(data).problems()
    assert any("danger has no answer maybe" in p for p in problems)
    assert any("names later" in p for p in problems)
