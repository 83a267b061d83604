"""The demo's organisations and its logins.

Public bodies the domain names (police, KMar, the Labour Inspectorate, IND, COA,
CoMensha, Slachtofferhulp Nederland, the Public Prosecution Service) appear
under their own names; every NGO, shelter and youth-care provider is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from zicht.organisations.models import OrganisationKind as Kind

from .places import REGIONS, Region


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    kind: str
    municipality: str
    # None: works nationally, so it may report a signal in any region.
    region: str | None


# Invented regional names; none is meant to be a real organisation.
_SHELTERS = {
    "noord-nederland": "Opvanghuis Wadlicht",
    "oost-nederland": "Opvanghuis IJsselhoeve",
    "midden-nederland": "Opvanghuis Domzicht",
    "noord-holland": "Opvanghuis Duinrand",
    "amsterdam": "Opvanghuis Grachtenhof",
    "den-haag": "Opvanghuis Hofstede Veilig",
    "rotterdam": "Opvanghuis Maaskade",
    "zeeland-west-brabant": "Opvanghuis Scheldezicht",
    "oost-brabant": "Opvanghuis Dommelhof",
    "limburg": "Opvanghuis Geuldal",
}
_YOUTH_CARE = {
    "noord-nederland": "Jeugdhulp Noorderlicht",
    "oost-nederland": "Jeugdhulp Twentewijs",
    "midden-nederland": "Jeugdhulp Stichtse Haven",
    "noord-holland": "Jeugdhulp Kennemerpad",
    "amsterdam": "Jeugdhulp Amstelkind",
    "den-haag": "Jeugdhulp Haagse Horizon",
    "rotterdam": "Jeugdhulp Rijnmondkind",
    "zeeland-west-brabant": "Jeugdhulp Zeeuwse Brug",
    "oost-brabant": "Jeugdhulp Kempenkind",
    "limburg": "Jeugdhulp Maasgaard",
}
_NGOS = {
    "noord-nederland": "Stichting Uitweg Noord",
    "oost-nederland": "Stichting Uitweg Oost",
    "midden-nederland": "Stichting Uitweg Midden",
    "noord-holland": "Stichting Uitweg Kennemerland",
    "amsterdam": "Stichting Uitweg Amsterdam",
    "den-haag": "Stichting Uitweg Haaglanden",
    "rotterdam": "Stichting Uitweg Rijnmond",
    "zeeland-west-brabant": "Stichting Uitweg Zuidwest",
    "oost-brabant": "Stichting Uitweg Brabant",
    "limburg": "Stichting Uitweg Limburg",
}

# A labour-exploitation NGO in the manner of FairWork, and a national outreach NGO.
LABOUR_NGO = "Stichting Loonwacht"
OUTREACH_NGO = "Stichting Nachtlicht"
COMENSHA = "CoMensha"


def _regional(region: Region) -> list[OrganisationSpec]:
    seat = region.seat
    key = region.key
    return [
        OrganisationSpec(f"Politie eenheid {region.name}", Kind.POLICE, seat.code, key),
        OrganisationSpec(
            f"Gemeente {seat.name}, zorgcoördinatie mensenhandel", Kind.MUNICIPALITY, seat.code, key
        ),
        OrganisationSpec(_SHELTERS[key], Kind.SHELTER, seat.code, key),
        OrganisationSpec(_YOUTH_CARE[key], Kind.YOUTH_CARE, seat.code, key),
        OrganisationSpec(_NGOS[key], Kind.NGO, seat.code, key),
        OrganisationSpec(f"GGD {region.name}", Kind.HEALTH, seat.code, key),
        OrganisationSpec(
            f"Slachtofferhulp Nederland, regio {region.name}", Kind.VICTIM_SUPPORT, seat.code, key
        ),
        OrganisationSpec(f"RIEC {region.name}", Kind.RIEC, seat.code, key),
        OrganisationSpec(
            f"Openbaar Ministerie, parket {region.name}", Kind.PROSECUTION, seat.code, key
        ),
    ]


NATIONAL: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(COMENSHA, Kind.COMENSHA, "GM0307", None),
    OrganisationSpec("Koninklijke Marechaussee", Kind.KMAR, "GM0518", None),
    OrganisationSpec(
        "Koninklijke Marechaussee, brigade Schiphol", Kind.KMAR, "GM0394", "noord-holland"
    ),
    OrganisationSpec("Nederlandse Arbeidsinspectie", Kind.LABOUR_INSPECTORATE, "GM0344", None),
    OrganisationSpec("Immigratie- en Naturalisatiedienst", Kind.IND, "GM0518", None),
    OrganisationSpec("Centraal Orgaan opvang asielzoekers", Kind.COA, "GM0518", None),
    OrganisationSpec("COA, locatie Ter Apel", Kind.COA, "GM1950", "noord-nederland"),
    OrganisationSpec(LABOUR_NGO, Kind.NGO, "GM0363", None),
    OrganisationSpec(OUTREACH_NGO, Kind.NGO, "GM0599", None),
)

ORGANISATIONS: tuple[OrganisationSpec, ...] = NATIONAL + tuple(
    spec for region in REGIONS for spec in _regional(region)
)


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    password: str
    organisation: str


# Passwords pass the validators in settings (12+ characters, not like the username).
# They are printed on purpose: this is demo data on a developer's machine.
DEMO_LOGINS: tuple[Login, ...] = (
    Login("reporter", "reporter", "demo-reporter-zicht", LABOUR_NGO),
    Login(
        "caseworker",
        "caseworker",
        "demo-caseworker-zicht",
        "Gemeente Amsterdam, zorgcoördinatie mensenhandel",
    ),
    Login("caseworker", "police", "demo-police-zicht", "Politie eenheid Amsterdam"),
    Login("national_coordinator", "coordinator", "demo-coordinator-zicht", COMENSHA),
    Login("analyst", "analyst", "demo-analyst-zicht", COMENSHA),
    Login("auditor", "auditor", "demo-auditor-zicht", COMENSHA),
    Login("admin", "admin", "demo-admin-zicht", COMENSHA),
)
# The login page: the site root shows the public guide to visitors who are not logged in.
DEMO_URL = "http://127.0.0.1:8000/accounts/login/"
