"""Where the demo organisations sit: the ten police regions and real CBS municipality codes.

Codes checked against CBS's municipality list (Gemeentelijke indeling 2024).
The weight is a rough relative size, so that big cities get more signals.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    weight: int


@dataclass(frozen=True)
class Region:
    """A police region (eenheid); its first municipality is the regional seat."""

    key: str
    name: str
    municipalities: tuple[Municipality, ...]

    @property
    def seat(self) -> Municipality:
        return self.municipalities[0]


def _m(code: str, name: str, weight: int) -> Municipality:
    return Municipality(code, name, weight)


REGIONS: tuple[Region, ...] = (
    Region(
        "noord-nederland",
        "Noord-Nederland",
        (
            _m("GM0014", "Groningen", 6),
            _m("GM0080", "Leeuwarden", 3),
            _m("GM0106", "Assen", 2),
            _m("GM0114", "Emmen", 2),
            _m("GM1950", "Westerwolde", 1),
        ),
    ),
    Region(
        "oost-nederland",
        "Oost-Nederland",
        (
            _m("GM0193", "Zwolle", 3),
            _m("GM0153", "Enschede", 4),
            _m("GM0268", "Nijmegen", 4),
            _m("GM0202", "Arnhem", 4),
            _m("GM0200", "Apeldoorn", 3),
            _m("GM0150", "Deventer", 2),
        ),
    ),
    Region(
        "midden-nederland",
        "Midden-Nederland",
        (
            _m("GM0344", "Utrecht", 8),
            _m("GM0307", "Amersfoort", 3),
            _m("GM0034", "Almere", 4),
            _m("GM0995", "Lelystad", 2),
            _m("GM0402", "Hilversum", 2),
        ),
    ),
    Region(
        "noord-holland",
        "Noord-Holland",
        (
            _m("GM0392", "Haarlem", 4),
            _m("GM0361", "Alkmaar", 3),
            _m("GM0479", "Zaanstad", 3),
            _m("GM0394", "Haarlemmermeer", 3),
            _m("GM0405", "Hoorn", 2),
            _m("GM0400", "Den Helder", 1),
        ),
    ),
    Region(
        "amsterdam",
        "Amsterdam",
        (
            _m("GM0363", "Amsterdam", 20),
            _m("GM0362", "Amstelveen", 2),
            _m("GM0384", "Diemen", 1),
        ),
    ),
    Region(
        "den-haag",
        "Den Haag",
        (
            _m("GM0518", "'s-Gravenhage", 12),
            _m("GM0546", "Leiden", 3),
            _m("GM0637", "Zoetermeer", 3),
            _m("GM0503", "Delft", 2),
            _m("GM0603", "Rijswijk", 1),
        ),
    ),
    Region(
        "rotterdam",
        "Rotterdam",
        (
            _m("GM0599", "Rotterdam", 14),
            _m("GM0505", "Dordrecht", 3),
            _m("GM0606", "Schiedam", 2),
            _m("GM0622", "Vlaardingen", 2),
        ),
    ),
    Region(
        "zeeland-west-brabant",
        "Zeeland-West-Brabant",
        (
            _m("GM0758", "Breda", 4),
            _m("GM0855", "Tilburg", 5),
            _m("GM1674", "Roosendaal", 2),
            _m("GM0748", "Bergen op Zoom", 2),
            _m("GM0687", "Middelburg", 1),
            _m("GM0718", "Vlissingen", 1),
            _m("GM0715", "Terneuzen", 1),
        ),
    ),
    Region(
        "oost-brabant",
        "Oost-Brabant",
        (
            _m("GM0772", "Eindhoven", 6),
            _m("GM0796", "'s-Hertogenbosch", 4),
            _m("GM0794", "Helmond", 2),
            _m("GM0828", "Oss", 2),
        ),
    ),
    Region(
        "limburg",
        "Limburg",
        (
            _m("GM0935", "Maastricht", 3),
            _m("GM0983", "Venlo", 3),
            _m("GM0917", "Heerlen", 2),
            _m("GM0957", "Roermond", 2),
            _m("GM1883", "Sittard-Geleen", 2),
        ),
    ),
)

REGION_BY_KEY = {region.key: region for region in REGIONS}
MUNICIPALITY_NAMES = {m.code: m.name for region in REGIONS for m in region.municipalities}
