"""Municipalities the capacity board and matching know: province and centroid.

Regions on the capacity board are the 12 provinces (CBS codes PV20–PV31). Only
the municipalities zicht's organisations and demo data use are listed; any
other code falls in region "other" and has no distance. Centroids are the
town centres, to a few hundred metres: enough to rank shelters by distance.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

OTHER_REGION = "other"

PROVINCES = {
    "PV20": "Groningen",
    "PV21": "Fryslân",
    "PV22": "Drenthe",
    "PV23": "Overijssel",
    "PV24": "Flevoland",
    "PV25": "Gelderland",
    "PV26": "Utrecht",
    "PV27": "Noord-Holland",
    "PV28": "Zuid-Holland",
    "PV29": "Zeeland",
    "PV30": "Noord-Brabant",
    "PV31": "Limburg",
}


class Municipality(NamedTuple):
    name: str
    province: str
    latitude: float
    longitude: float


MUNICIPALITIES: dict[str, Municipality] = {
    # Groningen
    "GM0014": Municipality("Groningen", "PV20", 53.2194, 6.5665),
    "GM0047": Municipality("Veendam", "PV20", 53.1063, 6.8750),
    "GM1952": Municipality("Midden-Groningen", "PV20", 53.1650, 6.7600),
    "GM1950": Municipality("Westerwolde", "PV20", 52.9500, 7.0500),
    # Fryslân
    "GM0080": Municipality("Leeuwarden", "PV21", 53.2012, 5.7999),
    "GM0074": Municipality("Heerenveen", "PV21", 52.9597, 5.9197),
    "GM0090": Municipality("Smallingerland", "PV21", 53.1070, 6.0990),
    # Drenthe
    "GM0106": Municipality("Assen", "PV22", 52.9925, 6.5649),
    "GM0114": Municipality("Emmen", "PV22", 52.7858, 6.8976),
    "GM0118": Municipality("Hoogeveen", "PV22", 52.7225, 6.4764),
    "GM0119": Municipality("Meppel", "PV22", 52.6958, 6.1944),
    # Overijssel
    "GM0193": Municipality("Zwolle", "PV23", 52.5168, 6.0830),
    "GM0153": Municipality("Enschede", "PV23", 52.2215, 6.8937),
    "GM0150": Municipality("Deventer", "PV23", 52.2550, 6.1639),
    "GM0164": Municipality("Hengelo", "PV23", 52.2658, 6.7931),
    "GM0141": Municipality("Almelo", "PV23", 52.3567, 6.6625),
    "GM0166": Municipality("Kampen", "PV23", 52.5550, 5.9114),
    # Flevoland
    "GM0034": Municipality("Almere", "PV24", 52.3508, 5.2647),
    "GM0995": Municipality("Lelystad", "PV24", 52.5185, 5.4714),
    "GM0303": Municipality("Dronten", "PV24", 52.5250, 5.7181),
    "GM0171": Municipality("Noordoostpolder", "PV24", 52.7109, 5.7481),
    # Gelderland
    "GM0202": Municipality("Arnhem", "PV25", 51.9851, 5.8987),
    "GM0268": Municipality("Nijmegen", "PV25", 51.8126, 5.8372),
    "GM0200": Municipality("Apeldoorn", "PV25", 52.2112, 5.9699),
    "GM0228": Municipality("Ede", "PV25", 52.0402, 5.6649),
    "GM0222": Municipality("Doetinchem", "PV25", 51.9650, 6.2883),
    "GM0281": Municipality("Tiel", "PV25", 51.8866, 5.4292),
    "GM0301": Municipality("Zutphen", "PV25", 52.1420, 6.1960),
    "GM0243": Municipality("Harderwijk", "PV25", 52.3417, 5.6200),
    # Utrecht
    "GM0344": Municipality("Utrecht", "PV26", 52.0907, 5.1214),
    "GM0307": Municipality("Amersfoort", "PV26", 52.1561, 5.3878),
    "GM0355": Municipality("Zeist", "PV26", 52.0894, 5.2314),
    "GM0356": Municipality("Nieuwegein", "PV26", 52.0291, 5.0806),
    "GM0345": Municipality("Veenendaal", "PV26", 52.0287, 5.5589),
    # Noord-Holland
    "GM0363": Municipality("Amsterdam", "PV27", 52.3728, 4.8936),
    "GM0392": Municipality("Haarlem", "PV27", 52.3874, 4.6462),
    "GM0394": Municipality("Haarlemmermeer", "PV27", 52.3030, 4.6890),
    "GM0479": Municipality("Zaanstad", "PV27", 52.4420, 4.8292),
    "GM0361": Municipality("Alkmaar", "PV27", 52.6324, 4.7534),
    "GM0400": Municipality("Den Helder", "PV27", 52.9563, 4.7601),
    "GM0402": Municipality("Hilversum", "PV27", 52.2292, 5.1669),
    "GM0362": Municipality("Amstelveen", "PV27", 52.3080, 4.8720),
    "GM0439": Municipality("Purmerend", "PV27", 52.5050, 4.9597),
    "GM0453": Municipality("Velsen", "PV27", 52.4586, 4.6192),
    "GM0384": Municipality("Diemen", "PV27", 52.3397, 4.9625),
    "GM0405": Municipality("Hoorn", "PV27", 52.6425, 5.0597),
    # Zuid-Holland
    "GM0599": Municipality("Rotterdam", "PV28", 51.9225, 4.4792),
    "GM0518": Municipality("'s-Gravenhage", "PV28", 52.0705, 4.3007),
    "GM0546": Municipality("Leiden", "PV28", 52.1601, 4.4970),
    "GM0505": Municipality("Dordrecht", "PV28", 51.8133, 4.6901),
    "GM0503": Municipality("Delft", "PV28", 52.0116, 4.3571),
    "GM0637": Municipality("Zoetermeer", "PV28", 52.0607, 4.4940),
    "GM0606": Municipality("Schiedam", "PV28", 51.9192, 4.3989),
    "GM0622": Municipality("Vlaardingen", "PV28", 51.9125, 4.3419),
    "GM0513": Municipality("Gouda", "PV28", 52.0115, 4.7105),
    "GM0603": Municipality("Rijswijk", "PV28", 52.0363, 4.3250),
    "GM1783": Municipality("Westland", "PV28", 51.9940, 4.2090),
    # Zeeland
    "GM0687": Municipality("Middelburg", "PV29", 51.4988, 3.6136),
    "GM0718": Municipality("Vlissingen", "PV29", 51.4425, 3.5736),
    "GM0715": Municipality("Terneuzen", "PV29", 51.3358, 3.8278),
    "GM0664": Municipality("Goes", "PV29", 51.5042, 3.8889),
    # Noord-Brabant
    "GM0772": Municipality("Eindhoven", "PV30", 51.4416, 5.4697),
    "GM0855": Municipality("Tilburg", "PV30", 51.5555, 5.0913),
    "GM0758": Municipality("Breda", "PV30", 51.5719, 4.7683),
    "GM0796": Municipality("'s-Hertogenbosch", "PV30", 51.6978, 5.3037),
    "GM0794": Municipality("Helmond", "PV30", 51.4793, 5.6570),
    "GM0828": Municipality("Oss", "PV30", 51.7650, 5.5181),
    "GM0748": Municipality("Bergen op Zoom", "PV30", 51.4949, 4.2911),
    "GM1674": Municipality("Roosendaal", "PV30", 51.5308, 4.4653),
    # Limburg
    "GM0935": Municipality("Maastricht", "PV31", 50.8514, 5.6910),
    "GM0917": Municipality("Heerlen", "PV31", 50.8882, 5.9795),
    "GM0983": Municipality("Venlo", "PV31", 51.3704, 6.1724),
    "GM1883": Municipality("Sittard-Geleen", "PV31", 50.9980, 5.8690),
    "GM0957": Municipality("Roermond", "PV31", 51.1942, 5.9875),
}

EARTH_RADIUS_KM = 6371.0088


def region_of(municipality: str | None) -> str:
    """Province code of a municipality, or "other" when zicht does not know it."""
    known = MUNICIPALITIES.get((municipality or "").upper())
    return known.province if known else OTHER_REGION


def region_label(region: str) -> str:
    return PROVINCES.get(region) or str(_("Other or unknown"))


def municipality_name(municipality: str | None) -> str:
    known = MUNICIPALITIES.get((municipality or "").upper())
    return known.name if known else (municipality or "")


def centroid(municipality: str | None) -> tuple[float, float] | None:
    known = MUNICIPALITIES.get((municipality or "").upper())
    return (known.latitude, known.longitude) if known else None


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_km(from_municipality: str | None, to_municipality: str | None) -> float | None:
    """Distance between two municipalities' centroids; None if either is unknown."""
    a, b = centroid(from_municipality), centroid(to_municipality)
    if a is None or b is None:
        return None
    return haversine_km(a, b)
