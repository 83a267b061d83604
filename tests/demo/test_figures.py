"""The demo data follows the published figures (DOMAIN.md), within a tolerance."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command

from zicht.registry.models import Person, Signal

pytestmark = pytest.mark.django_db


@pytest.fixture
def thousand():  # type: ignore[no-untyped-def]
    call_command("demo", "--seed", "1", "--persons", "1000", verbosity=0)


def _share(part: int, whole: int) -> float:
    return part / whole


def test_the_loaded_data_follows_the_published_figures(thousand):  # type: ignore[no-untyped-def]
    persons = Person.objects.count()
    assert persons == 1000

    # ~75% women and girls.
    assert _share(Person.objects.filter(sex="female").count(), persons) == pytest.approx(
        0.75, abs=0.08
    )

    # ~25% minors, counted at the person's first signal; unknown age counts as minor.
    first: dict[int, bool] = {}
    for person_id, minor in Signal.objects.order_by("signalled_on", "pk").values_list(
        "person_id", "minor_at_signal"
    ):
        first.setdefault(person_id, minor)
    assert _share(sum(first.values()), persons) == pytest.approx(0.25, abs=0.08)
    assert Signal.objects.filter(age_group="unknown", minor_at_signal=True).exists()

    # ~60% sexual exploitation, 15% labour, the rest other forms.
    forms = list(Signal.objects.values_list("forms", flat=True))
    counts = Counter(form for listed in forms for form in listed)
    assert _share(counts["sexual"], len(forms)) == pytest.approx(0.60, abs=0.1)
    assert _share(counts["labour"], len(forms)) == pytest.approx(0.15, abs=0.07)
    assert {"criminal", "forced_marriage", "servitude"} <= set(counts)

    # Published: 68% of labour victims are men; begging (recorded as labour) is more even.
    labour = Person.objects.filter(
        pk__in=[
            pid
            for pid, listed in Signal.objects.values_list("person_id", "forms")
            if listed == ["labour"]
        ]
    )
    assert _share(labour.filter(sex="male").count(), labour.count()) == pytest.approx(0.66, abs=0.1)

    # About 37% Dutch nationals.
    citizenships = Counter(
        c for listed in Person.objects.values_list("citizenships", flat=True) for c in listed
    )
    assert _share(citizenships["NL"], persons) == pytest.approx(0.38, abs=0.06)
