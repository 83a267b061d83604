"""The pathway's settings, with their defaults. Set them in settings.py (from the environment)."""

from __future__ import annotations

from django.conf import settings

# Organisation kinds that may decide "identified victim" or "not a victim".
# Police, KMar and the Labour Inspectorate meet and register victims (seed 001);
# the IND decides on the B8 permit, which rests on the same judgement; CoMensha
# registers every (possible) victim nationally (DOMAIN.md glossary).
DEFAULT_VICTIM_STATUS_DECIDERS = ("police", "kmar", "labour_inspectorate", "ind", "comensha")


def victim_status_deciders() -> frozenset[str]:
    return frozenset(getattr(settings, "PATHWAY_VICTIM_STATUS_DECIDERS",
                             DEFAULT_VICTIM_STATUS_DECIDERS))


def referral_answer_working_days() -> int:
    return int(getattr(settings, "PATHWAY_REFERRAL_ANSWER_WORKING_DAYS", 2))


def referral_urgent_answer_hours() -> int:
    return int(getattr(settings, "PATHWAY_REFERRAL_URGENT_ANSWER_HOURS", 24))


def referral_expire_days() -> int:
    return int(getattr(settings, "PATHWAY_REFERRAL_EXPIRE_DAYS", 30))


def other_grounds_review_days() -> int:
    return int(getattr(settings, "PATHWAY_OTHER_GROUNDS_REVIEW_DAYS", 28))
