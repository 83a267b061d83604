import pytest

from zicht.shelters import geography


def test_amsterdam_and_rotterdam_lie_about_57_km_apart():
    assert geography.distance_km("GM0363", "GM0599") == pytest.approx(57, abs=3)


def test_distance_is_symmetric_and_zero_to_itself():
    assert geography.distance_km("GM0014", "GM0935") == pytest.approx(
        geography.distance_km("GM0935", "GM0014"))
    assert geography.distance_km("GM0344", "GM0344") == 0


def test_an_unknown_municipality_is_in_region_other_and_has_no_distance():
    assert geography.region_of("GM9999") == geography.OTHER_REGION
    assert geography.region_of(None) == geography.OTHER_REGION
    assert geography.distance_km("GM9999", "GM0363") is None


def test_municipalities_are_grouped_by_province():
    assert geography.region_of("GM0363") == "PV27"  # Amsterdam, Noord-Holland
    assert geography.region_of("gm0599") == "PV28"  # Rotterdam, Zuid-Holland
    assert geography.region_label("PV31") == "Limburg"


def test_every_listed_municipality_lies_in_the_netherlands_and_in_a_province():
    for code, municipality in geography.MUNICIPALITIES.items():
        assert code.startswith("GM") and len(code) == 6
        assert municipality.province in geography.PROVINCES
        assert 50.7 < municipality.latitude < 53.6, code
        assert 3.3 < municipality.longitude < 7.3, code


def test_every_province_has_a_municipality():
    assert {m.province for m in geography.MUNICIPALITIES.values()} == set(geography.PROVINCES)
