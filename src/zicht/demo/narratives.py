"""Short synthetic narratives, in Dutch as a Dutch caseworker would write them.

Sentences name no one; they describe situations the seed documents describe.
"""

from __future__ import annotations

import random

SITUATIONS: dict[str, tuple[str, ...]] = {
    "sexual": (
        "Aangetroffen bij een controle in een hotelkamer; advertenties worden door een ander beheerd.",
        "Vertelt dat een vriend bepaalt met wie er afspraken zijn en de verdiensten houdt.",
        "Signaal via de hulpverlening: werkt op wisselende adressen, telefoon in handen van een ander.",
        "Werkt achter het raam en moet dagelijks een vast bedrag afdragen.",
        "Via sociale media geronseld met een belofte van werk in de horeca.",
    ),
    "labour": (
        "Werkt {hours} uur per dag in de {sector} en krijgt minder dan het minimumloon.",
        "Woont met {people} anderen in één woning van de werkgever; de huur gaat van het loon af.",
        "Het uitzendbureau houdt het paspoort; de schuld voor reis en huisvesting loopt op.",
        "Zeven dagen per week aan het werk in de {sector}, zonder contract.",
    ),
    "begging": (
        "Bedelt dagelijks op een vaste plek, wordt 's avonds opgehaald en draagt de opbrengst af.",
    ),
    "criminal": (
        "Wordt ingezet om drugs te vervoeren en zegt een schuld te moeten afbetalen.",
        "Aangehouden bij winkeldiefstal in groepsverband; lijkt onder druk te staan.",
        "Aangetroffen in een hennepkwekerij, sliep ter plaatse.",
        "Moet bankrekening en identiteit uitlenen aan anderen.",
    ),
    "forced_marriage": (
        "Vertelt dat de familie een huwelijk heeft geregeld waarmee niet is ingestemd.",
    ),
    "servitude": (
        "Werkt als inwonende hulp in een huishouden, zonder vrije dagen of eigen sleutel.",
    ),
    "slavery": (
        "Wordt volledig gecontroleerd door de werkgever; geen loon, geen contact met familie.",
    ),
    "surrogacy": (
        "Zwanger binnen een regeling waarin het kind na de geboorte wordt afgestaan; "
        "bewegingsvrijheid beperkt.",
    ),
    "illegal_adoption": (
        "Kind is zonder geldige procedure bij een ander gezin ondergebracht; papieren ontbreken.",
    ),
    "organs": (
        "Vertelt dat een nier tegen betaling is afgestaan; het geld bleef grotendeels uit.",
    ),
}

INDICATOR_SENTENCES = {
    "abuse_of_vulnerability": "Verblijfsstatus en taal maken afhankelijk.",
    "deception": "Het beloofde werk bleek iets anders te zijn.",
    "restriction_of_movement": "Mag niet alleen de deur uit.",
    "isolation": "Heeft geen contact met familie of vrienden.",
    "physical_sexual_violence": "Noemt geweld bij weigering.",
    "intimidation_threats": "Er wordt gedreigd met gevolgen voor familie.",
    "retention_of_documents": "Identiteitsbewijs wordt door een ander bewaard.",
    "withholding_of_wages": "Loon wordt ingehouden of niet betaald.",
    "debt_bondage": "Heeft een schuld die steeds hoger wordt.",
    "abusive_conditions": "Slechte huisvesting en onveilige werkplek.",
    "excessive_overtime": "Maakt structureel lange dagen zonder pauze.",
}

SECTOR_WORDS = {
    "A": "kassen",
    "C": "vleesverwerking",
    "F": "bouw",
    "H": "distributie",
    "I": "horeca",
    "N": "schoonmaak",
    "S": "nagelsalon",
    "T": "huishouding",
}


def narrative(rng: random.Random, *, form_key: str, sector: str, indicators: list[str]) -> str:
    template = rng.choice(SITUATIONS[form_key])
    text = template.format(
        hours=rng.choice((10, 11, 12, 14)),
        people=rng.randrange(4, 13),
        sector=SECTOR_WORDS.get(sector, "landbouw"),
    )
    if indicators:
        text = f"{text} {INDICATOR_SENTENCES[indicators[0]]}"
    return text
