"""HTCDS v2.0 case-level CSV (UN Migration's Human Trafficking Case Data Standard).

One row per person counted in the year (the counting rules apply: no one
without a legal basis leaves zicht this way), with the standard's field names
and value names. Identity never leaves: `RecordId` is a keyed pseudonym (not an
HTCDS field) and the birth date is the year only. The trafficking status is the
victim status decided in the pathway by the end of the year (counting rule 4);
without a decision, PossibleVictimOfTrafficking. For the national coordinator
only (figures.access).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
from typing import IO, Any

from django.conf import settings

from zicht.registry.models import Signal

from ..counting import counted_rows, year_bounds

FIELDS = ["RecordId", "prs_Gender", "prs_Birthdate", "prs_Nationality",
          "vic_TraffickingStatus", "vic_TypeOfExploitation", "vic_ForcedLabourIndustry",
          "vic_MethodsOfControl", "cas_Status", "org_Type"]
GENDER = {"female": "Female", "male": "Male", "other": "Transgender/NonConforming",
          "unknown": "Unknown"}
INDUSTRY = {
    "A": "A_AgricultureForestryAndFishing", "B": "B_MiningAndQuarrying", "C": "C_Manufacturing",
    "D": "D_ElectricityGasSteamAndAirConditioningSupply",
    "E": "E_WaterSupplySewerageWasteManagement", "F": "F_Construction",
    "G": "G_WholesaleAndRetailTradeRepairOfMotorVehicles", "H": "H_TransportationAndStorage",
    "I": "I_AccommodationAndFoodServiceActivities", "J": "J_InformationAndCommunication",
    "K": "K_FinancialAndInsuranceActivities", "L": "L_RealEstateActivities",
    "M": "M_ProfessionalScientificAndTechnicalActivities",
    "N": "N_AdministrativeAndSupportServiceActivities", "O": "O_PublicAdministrationAndDefence",
    "P": "P_Education", "Q": "Q_HumanHealthAndSocialWorkActivities",
    "R": "R_ArtsEntertainmentAndRecreation", "S": "S_OtherServiceActivities",
    "T": "T_ActivitiesOfHouseholdsAsEmployers",
    "U": "U_ActivitiesOfExtraterritorialOrganizations",
}
# ILO indicators (registry) → HTCDS MethodsOfControl; the nearest value, "Other" where none is.
CONTROL = {
    "abuse_of_vulnerability": "Other", "deception": "FalsePromises",
    "restriction_of_movement": "RestrictsMovement", "isolation": "PsychologicalAbuse",
    "physical_sexual_violence": "PhysicalAbuse;SexualAbuse", "intimidation_threats": "Threats",
    "retention_of_documents": "WithholdsDocuments", "withholding_of_wages": "TakesEarnings",
    "debt_bondage": "DebtBondage", "abusive_conditions": "WithholdsNecessities",
    "excessive_overtime": "ExcessiveWorkingHours",
}
TRAFFICKING_STATUS = {"possible": "PossibleVictimOfTrafficking",
                      "identified": "ActualVictimOfTrafficking",
                      "not_victim": "NotAVictimOfTrafficking"}
ORG_TYPE = {"police": "LawEnforcement", "kmar": "LawEnforcement",
            "labour_inspectorate": "CentralGovernmentOrganisation",
            "ind": "ImmigrationService", "coa": "CentralGovernmentOrganisation",
            "municipality": "LocalGovernmentOrganisation", "youth_care": "HealthServiceOrganisation",
            "health": "HealthServiceOrganisation", "ngo": "NGO", "shelter": "NGO",
            "victim_support": "NGO", "comensha": "NGO", "riec": "LocalGovernmentOrganisation",
            "prosecution": "CentralGovernmentOrganisation"}


def exploitation_type(forms: tuple[str, ...]) -> str:
    sexual, labour = "sexual" in forms, bool({"labour", "servitude", "slavery"} & set(forms))
    if sexual and labour:
        return "Both"
    if sexual:
        return "SexualExploitation"
    if labour:
        return "ForcedLabour"
    return "Other"


def _pseudonym(year: int, unit: int) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"htcds|{year}|{unit}".encode(), hashlib.sha256).hexdigest()[:16]


def write(out: IO[str], *, years: list[int], progress: Any = None) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    written = 0
    for done, year in enumerate(years, start=1):
        start, end = year_bounds(year)
        rows = counted_rows(start=start, end=end)
        written += _write_year(writer, year, rows)
        if progress:
            progress("htcds", done, len(years))
    return written


def _write_year(writer: Any, year: int, rows: Any) -> int:
    written = 0
    batch = 5_000
    for offset in range(0, len(rows), batch):
        ids = rows.signal_id[offset:offset + batch]
        # The reference signal's person: with linkage, a unit is a cluster, not a person.
        found = {pk: (indicators, birth_year, citizenships) for pk, indicators, birth_year,
                 citizenships in Signal.objects.filter(pk__in=ids).values_list(
                     "pk", "indicators", "person__birth_year", "person__citizenships")}
        for i in range(offset, min(offset + batch, len(rows))):
            indicators, birth_year, citizenships = found.get(rows.signal_id[i], ([], None, []))
            controls = dict.fromkeys(
                part for code in indicators or []
                for part in CONTROL.get(code, "Other").split(";"))
            sector = rows.values("sector")[i]
            writer.writerow([
                _pseudonym(year, rows.unit[i]), GENDER.get(rows.values("sex")[i], "Unknown"),
                str(birth_year) if birth_year else "",
                ";".join(str(c).upper() for c in citizenships or []),
                TRAFFICKING_STATUS[rows.values("victim_status")[i]],
                exploitation_type(rows.forms[i]),
                INDUSTRY.get(sector, ""), ";".join(controls), "Active",
                ORG_TYPE.get(rows.values("organisation_kind")[i], ""),
            ])
            written += 1
    return written
