"""Every share the demo data follows, in one place.

The published figures they are tuned to (DOMAIN.md, "Published figures to
calibrate and test against"; Eurostat / European Commission data collection on
trafficking in human beings, registered victims in the EU, 2017–2018):

* about 75% of registered victims are women and girls;
* about 25% are minors;
* about 60% were exploited sexually, 15% for labour (68% of them men) and 18%
  in other forms. The remaining 7% had no form recorded; a signal here must name
  a form, so `random.choices` spreads that share pro rata over the three.

The per-form shares of women and of minors below are not published as such;
they are chosen so that the totals come out at the published 75% and 25%
(sexual exploitation mostly women and girls, labour mostly adult men, illegal
adoption always a child). Citizenship mixes are a plausible Dutch picture: about
37% Dutch nationals, then EU neighbours (RO, BG, PL, HU), Ukraine, Nigeria,
Uganda, China, Vietnam, Brazil, Morocco, Eritrea and Syria.

Each table is {value: weight}; weights need not add up to 1.
"""

from __future__ import annotations

from datetime import date

# The published split of forms (EU 2017–18): sexual 60, labour 15, other 18.
FORM_FAMILY = {"sexual": 60, "labour": 15, "other": 18}

# "Other forms", broken down. Begging counts as forced labour or services in the
# Directive, so it is recorded as the labour form without a sector.
OTHER_FORMS = {
    "criminal": 55,
    "begging": 15,
    "forced_marriage": 10,
    "servitude": 8,
    "slavery": 4,
    "surrogacy": 4,
    "illegal_adoption": 3,
    "organs": 1,
}
# Share of signals that name a second form next to the main one.
SECOND_FORM_SHARE = 0.05
SECOND_FORMS = {
    "sexual": ("criminal",),
    "labour": ("criminal", "servitude"),
    "other": ("sexual", "labour"),
}

# Share of women and girls per form: sexual .93 and labour .32 (68% men,
# published) with the other forms at about .5 give 75% overall.
FEMALE_SHARE = {
    "sexual": 0.93,
    "labour": 0.32,
    "criminal": 0.40,
    "begging": 0.45,
    "forced_marriage": 0.95,
    "servitude": 0.60,
    "slavery": 0.50,
    "surrogacy": 1.0,
    "illegal_adoption": 0.50,
    "organs": 0.30,
}
# Share of minors per form; together about 26% before year-only birth dates
# (counted at their lower bound) and unknown ones push it a little further.
MINOR_SHARE = {
    "sexual": 0.27,
    "labour": 0.05,
    "criminal": 0.45,
    "begging": 0.30,
    "forced_marriage": 0.35,
    "servitude": 0.15,
    "slavery": 0.10,
    "surrogacy": 0.0,
    "illegal_adoption": 1.0,
    "organs": 0.05,
}
# Age in years at the first signal, by band: (youngest, oldest): weight.
MINOR_AGES = {(13, 17): 85, (8, 12): 12, (0, 7): 3}
ADOPTION_AGES = {(0, 2): 80, (3, 7): 20}
ADULT_AGES = {(18, 24): 35, (25, 34): 35, (35, 44): 18, (45, 54): 9, (55, 64): 3}
# How precisely the birth date is known. An unknown one makes the person count
# as a minor (DOMAIN.md: uncertain age is treated as a minor), so only minors get it.
BIRTH_PRECISION_ADULT = {"day": 85, "year": 15}
BIRTH_PRECISION_MINOR = {"day": 70, "year": 12, "unknown": 18}

# Citizenship per form family; "" is unknown. Overall about 37% Dutch.
CITIZENSHIP = {
    "sexual": {
        "NL": 45,
        "RO": 10,
        "BG": 6,
        "HU": 5,
        "PL": 3,
        "UA": 4,
        "NG": 9,
        "UG": 3,
        "CN": 3,
        "VN": 1,
        "BR": 4,
        "MA": 2,
        "ER": 1,
        "SY": 1,
        "": 3,
    },
    "labour": {
        "NL": 8,
        "RO": 12,
        "BG": 8,
        "PL": 20,
        "HU": 7,
        "UA": 15,
        "NG": 2,
        "UG": 3,
        "CN": 6,
        "VN": 6,
        "BR": 3,
        "MA": 2,
        "ER": 3,
        "SY": 3,
        "": 2,
    },
    "other": {
        "NL": 35,
        "RO": 8,
        "BG": 5,
        "PL": 3,
        "HU": 2,
        "UA": 3,
        "NG": 4,
        "UG": 6,
        "CN": 2,
        "VN": 10,
        "BR": 1,
        "MA": 8,
        "ER": 6,
        "SY": 5,
        "": 2,
    },
}
# Moroccan nationals in the Netherlands often hold Dutch nationality too.
DUAL_WITH_NL = {"MA": 0.2}
ENGLISH_AS_SECOND_LANGUAGE = 0.3

# Signals per person: mostly one.
SIGNALS_PER_PERSON = {1: 75, 2: 18, 3: 7}
# Share of later signals about the same form as the first.
SAME_FORM_LATER = 0.8

# Signal dates: from 1 January 2021 up to today, a little busier in later years.
FIRST_SIGNAL_FROM = date(2021, 1, 1)
RECENT_TREND_SHARE = 0.3
LATER_SIGNAL_DAYS = (7, 240)
EXPLOITATION_KNOWN = 0.8
EXPLOITATION_DAYS_BEFORE = (30, 900)
EXPLOITATION_ENDED = 0.6

# The organisation kind that reports the first signal, per form family.
REPORTER_KIND = {
    "sexual": {
        "police": 32,
        "kmar": 4,
        "labour_inspectorate": 1,
        "ind": 3,
        "coa": 3,
        "municipality": 8,
        "shelter": 8,
        "youth_care": 4,
        "ngo": 12,
        "health": 8,
        "victim_support": 5,
        "riec": 2,
        "comensha": 10,
    },
    "labour": {
        "police": 15,
        "kmar": 6,
        "labour_inspectorate": 30,
        "ind": 3,
        "coa": 3,
        "municipality": 6,
        "shelter": 3,
        "youth_care": 1,
        "ngo": 20,
        "health": 4,
        "victim_support": 3,
        "riec": 2,
        "comensha": 4,
    },
    "other": {
        "police": 35,
        "kmar": 6,
        "labour_inspectorate": 4,
        "ind": 5,
        "coa": 6,
        "municipality": 8,
        "shelter": 4,
        "youth_care": 8,
        "ngo": 8,
        "health": 5,
        "victim_support": 4,
        "riec": 2,
        "comensha": 5,
    },
}
# Youth care sees far more of the minors.
YOUTH_CARE_FACTOR_FOR_MINORS = 4
# A labour case reported by an NGO goes to the labour NGO this often.
LABOUR_NGO_SHARE = 0.6
# Persons reported in a region with a national-only kind: national body's share.
NATIONAL_SHARE = 0.15

SECTOR = {"A": 20, "C": 17, "F": 15, "H": 12, "I": 14, "N": 10, "S": 6, "T": 6}

INDICATOR_COUNT = {1: 30, 2: 35, 3: 22, 4: 13}
INDICATORS = {
    "sexual": {
        "abuse_of_vulnerability": 20,
        "deception": 16,
        "restriction_of_movement": 10,
        "isolation": 10,
        "physical_sexual_violence": 16,
        "intimidation_threats": 14,
        "retention_of_documents": 5,
        "withholding_of_wages": 4,
        "debt_bondage": 5,
    },
    "labour": {
        "abuse_of_vulnerability": 8,
        "deception": 14,
        "retention_of_documents": 10,
        "withholding_of_wages": 20,
        "debt_bondage": 12,
        "abusive_conditions": 18,
        "excessive_overtime": 14,
        "intimidation_threats": 4,
    },
    "other": {
        "abuse_of_vulnerability": 20,
        "deception": 10,
        "restriction_of_movement": 10,
        "isolation": 12,
        "intimidation_threats": 18,
        "debt_bondage": 14,
        "physical_sexual_violence": 8,
        "retention_of_documents": 8,
    },
}

SOURCE = {
    "duty": {"own_observation": 70, "third_party": 20, "self_report": 10},
    "comensha": {"self_report": 40, "third_party": 45, "anonymous": 15},
    "other": {"own_observation": 35, "self_report": 30, "third_party": 28, "anonymous": 7},
}

SCOPE = {
    "national": {"domestic": 85, "cross_border": 10, "unknown": 5},
    "foreign": {"cross_border": 60, "domestic": 30, "unknown": 10},
    "unknown": {"unknown": 50, "cross_border": 40, "domestic": 10},
}

# Consent as recorded by the first organisation; "unknown" means not asked.
CONSENT = {
    "registration": {"given": 85, "refused": 5, "unknown": 10},
    "care": {"given": 60, "refused": 8, "unknown": 32},
    "police": {"given": 45, "refused": 15, "unknown": 40},
}
# Persons with care consent whom the first organisation shares with the
# municipality's care coordinator of the region.
SHARE_WITH_CARE_COORDINATOR = 0.4

# Identity details.
PHONE_SHARE = 0.4
ALIAS_SHARE = {"sexual": 0.2, "labour": 0.03, "other": 0.05}
DOCUMENT_SHARE = 0.2
# Persons whose care consent is withdrawn after their last signal.
CARE_CONSENT_WITHDRAWN_LATER = 0.03
