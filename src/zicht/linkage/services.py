"""Every write of the linkage app: training, runs, review decisions, PPRL uploads.

Linkage runs server-side with the keys: identities are decrypted in batches,
turned into model features in memory and never stored in plain text. Each
decrypted record is an audited read; each run, decision and revert an audited
write, in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pandas as pd
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zicht.audit.services import Entry, audit_record, audit_record_many
from zicht.core.exceptions import ApplicationError, ConflictError, NotFound
from zicht.organisations.models import Role, User
from zicht.registry.models import Person

from . import clustering, pprl
from . import model as linkage_model
from .models import (
    ClusterMembership,
    Link,
    LinkageRun,
    ModelVersion,
    PprlEncoding,
    ReviewDecision,
)

BATCH_SIZE = 1000
Progress = Callable[[str, int, int], None]


class PairGone(ApplicationError):
    """The pair a decision names is not (or no longer) a scored link."""

    status_code = 404  # type: ignore[assignment]


def require_coordinator(actor: User | None) -> None:
    """Review is for the national coordinator only; others learn nothing (404)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or (
            actor.role != Role.NATIONAL_COORDINATOR or not actor.is_active):
        raise NotFound()


# --- records out of the registry -----------------------------------------------


def _record(person: Person) -> dict[str, Any]:
    identity = person.identity
    aliases = identity.get("aliases") or []
    return {
        "record_id": str(person.pk),
        "reporting_org": str(person.registering_organisation_id),
        "given_name": identity.get("given_names") or "",
        "family_name": identity.get("family_name") or "",
        "alias": aliases[0] if isinstance(aliases, list) and aliases else (aliases or ""),
        "birth_date": identity.get("birth_date") or "",
        "birth_year": person.birth_year or "",
        "sex": "" if person.sex == "unknown" else person.sex,
        "nationality": (person.citizenships or [""])[0],
        "phone": identity.get("phone") or "",
    }


def registry_batches(queryset: Any = None, *, batch_size: int = BATCH_SIZE
                     ) -> Iterator[list[tuple[Person, dict[str, Any]]]]:
    """Persons with their decrypted identity, `batch_size` at a time."""
    # An erased person has no identity left to compare (zicht.privacy).
    queryset = Person.objects.filter(erased_at__isnull=True) if queryset is None else queryset
    batch: list[tuple[Person, dict[str, Any]]] = []
    for person in queryset.order_by("pk").iterator(chunk_size=batch_size):
        batch.append((person, _record(person)))
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _registry_frame(*, actor: User | None, progress: Progress | None,
                    purpose: str) -> tuple[pd.DataFrame, dict[int, Any]]:
    rows: list[dict[str, Any]] = []
    updated: dict[int, Any] = {}
    total = Person.objects.filter(erased_at__isnull=True).count()
    for batch in registry_batches():
        rows += [record for _person, record in batch]
        for person, _record_of in batch:
            updated[person.pk] = person.updated_at
        # Why audit: every read of a person's identity is logged, also a machine's.
        audit_record_many(actor=actor, entries=[
            Entry(action="linkage.read", object_type="registry.person", object_id=person.pk,
                  person_id=person.pk, detail={"purpose": purpose})
            for person, _record_of in batch
        ])
        if progress:
            progress("decrypt", len(rows), total)
    frame = pd.DataFrame(rows, columns=list(linkage_model.INPUT_COLUMNS))
    return frame, updated


# --- model versions -------------------------------------------------------------


def model_version_get(version: Any) -> ModelVersion:
    """A saved model by number; an unknown number is bad input naming the field."""
    try:
        number = int(version)
    except (TypeError, ValueError):
        raise ApplicationError(_("Give a model version number."), field="model_version") from None
    found = ModelVersion.objects.filter(version=number).first()
    if found is None:
        raise ApplicationError(_("There is no model version %(version)s.") % {"version": number},
                               field="model_version")
    return found


@transaction.atomic
def model_version_save(*, actor: User | None, parameters: dict[str, Any], records: int,
                       upper_weight: float = linkage_model.DEFAULT_UPPER_WEIGHT,
                       lower_weight: float = linkage_model.DEFAULT_LOWER_WEIGHT) -> ModelVersion:
    if lower_weight > upper_weight:
        raise ApplicationError(_("The lower threshold lies above the upper threshold."),
                               field="lower_weight")
    latest = ModelVersion.objects.aggregate(latest=Max("version"))["latest"] or 0
    saved = ModelVersion.objects.create(
        version=latest + 1, fingerprint=linkage_model.fingerprint(parameters),
        parameters=parameters, upper_weight=upper_weight, lower_weight=lower_weight,
        trained_on_records=records, created_by=actor,
    )
    audit_record(actor=actor, action="linkage.model.save", obj=saved,
                 detail={"version": saved.version, "fingerprint": saved.fingerprint})
    return saved


def model_train(*, actor: User | None, backend: str = "duckdb",
                progress: Progress | None = None) -> ModelVersion:
    """Train on the registry's records (EM) and save the parameters as a new version."""
    with transaction.atomic():
        frame, _updated = _registry_frame(actor=actor, progress=progress, purpose="train")
    if len(frame) < 2:
        raise ApplicationError(_("At least two records are needed to train."), field="records")
    prepared = linkage_model.prepare(frame)
    parameters = linkage_model.train(prepared, linkage_model.settings(),
                                     db_api=linkage_model.database_api(backend))
    return model_version_save(actor=actor, parameters=parameters, records=len(frame))


# --- runs -----------------------------------------------------------------------


def _restricted_to_new(parameters: dict[str, Any]) -> dict[str, Any]:
    """The same model, blocking only pairs with at least one new record: new
    records are compared with everything known, old pairs are not rescored."""
    restricted = {**parameters}
    restricted["blocking_rules_to_generate_predictions"] = [
        {**rule, "blocking_rule": f'({rule["blocking_rule"]}) AND (l."is_new" OR r."is_new")'}
        for rule in parameters["blocking_rules_to_generate_predictions"]
    ]
    return restricted


def linkage_run(*, actor: User | None, backend: str = "duckdb", model_version: Any = None,
                full: bool = False, progress: Progress | None = None,
                spark_session: Any = None) -> LinkageRun:
    """Score new (or, with `full`, all) records, store links, recompute persons."""
    version = model_version_get(model_version) if model_version is not None else (
        ModelVersion.objects.order_by("-version").first())
    if version is None:
        version = model_train(actor=actor, backend=backend if backend == "duckdb" else "duckdb",
                              progress=progress)
    previous = LinkageRun.objects.filter(finished_at__isnull=False).order_by(
        "-started_at").first()
    started = timezone.now()
    with transaction.atomic():
        frame, updated = _registry_frame(actor=actor, progress=progress, purpose="link")
        known = set(ClusterMembership.objects.values_list("person_id", flat=True))
        since = previous.started_at if previous is not None and not full else None
        incremental = since is not None
        new_ids = {pk for pk, at in updated.items()
                   if since is None or pk not in known or at >= since}
        run = LinkageRun.objects.create(
            model_version=version, backend=backend, started_at=started,
            mode=LinkageRun.Mode.INCREMENTAL if incremental else LinkageRun.Mode.FULL,
            records=len(frame), new_records=len(new_ids), created_by=actor,
        )
        scored = _score(frame, new_ids, version, incremental=incremental, backend=backend,
                        spark_session=spark_session)
        if progress:
            progress("score", len(scored), len(scored))
        # An erased person's links stay: with no identity left they cannot be scored again,
        # and dropping them would count the person as someone new from this run on.
        scorable = Link.objects.filter(person_a__erased_at__isnull=True,
                                       person_b__erased_at__isnull=True)
        stale = scorable if not incremental else scorable.filter(
            Q(person_a_id__in=new_ids) | Q(person_b_id__in=new_ids))
        stale.delete()
        links = _links(scored, version, run)
        Link.objects.bulk_create(links, batch_size=1000)
        clusters = recompute_clusters()
        run.pairs_scored = len(scored)
        run.links_stored = len(links)
        run.clusters = len(set(clusters.values()))
        run.finished_at = timezone.now()
        run.save()
        audit_record(actor=actor, action="linkage.run", obj=run, detail={
            "mode": run.mode, "model_version": version.version, "records": run.records,
            "new_records": run.new_records, "links": run.links_stored,
            "persons": run.clusters,
        })
    return run


def _score(frame: pd.DataFrame, new_ids: set[int], version: ModelVersion, *,
           incremental: bool, backend: str, spark_session: Any) -> pd.DataFrame:
    if len(frame) < 2 or not new_ids:
        return pd.DataFrame(columns=["unique_id_l", "unique_id_r", "match_weight",
                                     "match_probability"])
    prepared = linkage_model.prepare(frame)
    prepared["is_new"] = prepared["unique_id"].astype(int).isin(new_ids)
    parameters = version.parameters
    if incremental:
        parameters = _restricted_to_new(parameters)
    db_api = linkage_model.database_api(backend, spark_session=spark_session)
    return linkage_model.predict(prepared, parameters, db_api=db_api,
                                 threshold_weight=version.lower_weight)


def _links(scored: pd.DataFrame, version: ModelVersion, run: LinkageRun) -> list[Link]:
    links = []
    for row in scored.to_dict("records"):
        a, b = sorted((int(row["unique_id_l"]), int(row["unique_id_r"])))
        weight = float(row["match_weight"])
        links.append(Link(
            person_a_id=a, person_b_id=b, match_weight=weight,
            match_probability=float(row["match_probability"]),
            band=Link.Band.MATCH if weight >= version.upper_weight else Link.Band.REVIEW,
            model_version=version, run=run,
            comparison_levels=linkage_model.comparison_levels(row, version.parameters),
        ))
    return links


def _decided(verdict: str) -> list[tuple[int, int]]:
    return list(ReviewDecision.objects.filter(reverted_at__isnull=True, verdict=verdict)
                .values_list("person_a_id", "person_b_id"))


def current_clusters() -> dict[int, int]:
    """{person id: cluster id} as the links and decisions in force say, computed."""
    persons = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    scored = Link.objects.filter(band=Link.Band.MATCH).values_list(
        "person_a_id", "person_b_id", "match_weight")
    edges = clustering.accepted_edges(
        ((a, b, 1.0) for a, b, _ in scored), threshold=1.0,
        same=_decided(ReviewDecision.Verdict.SAME),
        different=_decided(ReviewDecision.Verdict.DIFFERENT),
    )
    return {int(str(k)): int(str(v)) for k, v in clustering.clusters(persons, edges).items()}


def recompute_clusters() -> dict[int, int]:
    """Store the computed clusters; only memberships that changed are written."""
    computed = current_clusters()
    stored = dict(ClusterMembership.objects.values_list("person_id", "cluster_id"))
    changed = [ClusterMembership(person_id=pk, cluster_id=cluster)
               for pk, cluster in computed.items() if stored.get(pk) != cluster]
    ClusterMembership.objects.bulk_create(
        changed, batch_size=1000, update_conflicts=True, unique_fields=["person"],
        update_fields=["cluster_id", "updated_at"],
    ) if changed else None
    return computed


# --- clerical review ------------------------------------------------------------------


def _snapshot(person_ids: Iterable[int]) -> dict[str, int]:
    clusters = dict(ClusterMembership.objects.values_list("person_id", "cluster_id"))
    touched = {clusters.get(pk, pk) for pk in person_ids}
    return {str(pk): cluster for pk, cluster in clusters.items() if cluster in touched}


@transaction.atomic
def review_decide(*, actor: User, link_id: Any, verdict: str, note: str = "",
                  model_version: Any = None) -> ReviewDecision:
    """Record a verdict on a scored pair; it overrides the model at once."""
    require_coordinator(actor)
    if verdict not in ReviewDecision.Verdict.values:
        raise ApplicationError(_("Choose same, different or unsure."), field="verdict")
    try:
        link = Link.objects.select_for_update().get(pk=int(link_id))
    except (TypeError, ValueError, Link.DoesNotExist):
        raise PairGone(_("This pair does not exist (any more): run linkage again."),
                       field="link") from None
    if model_version is not None:
        expected = model_version_get(model_version)
        if expected.pk != link.model_version_id:
            raise ConflictError(
                _("The pair was scored again with model version %(version)s; look again.")
                % {"version": link.model_version.version}, field="model_version")
    pair = (link.person_a_id, link.person_b_id)
    earlier = ReviewDecision.objects.select_for_update().filter(
        person_a_id=pair[0], person_b_id=pair[1], reverted_at__isnull=True).first()
    if earlier is not None:
        earlier.reverted_at, earlier.reverted_by = timezone.now(), actor
        earlier.save(update_fields=["reverted_at", "reverted_by"])
    decision = ReviewDecision.objects.create(
        person_a_id=pair[0], person_b_id=pair[1], link=link, verdict=verdict, note=note,
        match_weight=link.match_weight, model_version_id=link.model_version_id,
        clusters_before=_snapshot(pair), decided_by=actor,
    )
    recompute_clusters()
    audit_record_many(actor=actor, entries=[
        Entry(action="linkage.decide", object_type="linkage.reviewdecision",
              object_id=decision.pk, person_id=pk,
              detail={"verdict": verdict, "pair": list(pair), "replaces": getattr(
                  earlier, "pk", None)})
        for pk in pair
    ])
    return decision


@transaction.atomic
def review_revert(*, actor: User, decision_id: Any) -> ReviewDecision:
    """Take a decision back (unmerge or unsplit): the model's say returns, and the
    clusters become exactly what links and the other decisions give."""
    require_coordinator(actor)
    try:
        decision = ReviewDecision.objects.select_for_update().get(pk=int(decision_id))
    except (TypeError, ValueError, ReviewDecision.DoesNotExist):
        raise NotFound() from None
    if decision.reverted_at is not None:
        raise ConflictError(_("This decision was already taken back."), field="decision")
    decision.reverted_at, decision.reverted_by = timezone.now(), actor
    decision.save(update_fields=["reverted_at", "reverted_by"])
    recompute_clusters()
    audit_record_many(actor=actor, entries=[
        Entry(action="linkage.revert", object_type="linkage.reviewdecision",
              object_id=decision.pk, person_id=pk, detail={"verdict": decision.verdict})
        for pk in (decision.person_a_id, decision.person_b_id)
    ])
    return decision


# --- privacy-preserving mode ------------------------------------------------------


@transaction.atomic
def pprl_upload(*, actor: User, records: Any) -> list[PprlEncoding]:
    """Store an organisation's Bloom-filter encodings; all or nothing."""
    if not actor.is_authenticated or actor.organisation_id is None or actor.role not in (
            Role.CASEWORKER, Role.NATIONAL_COORDINATOR, Role.REPORTER):
        raise NotFound()
    if not isinstance(records, list) or not records:
        raise ApplicationError(_("Give a non-empty list of records."), field="records")
    rows: dict[str, bytes] = {}
    for index, item in enumerate(records):
        where = f"records[{index}]"
        if not isinstance(item, dict):
            raise ApplicationError(_("Each record is an object."), field=where)
        reference = str(item.get("record_ref") or "").strip()
        if not reference or len(reference) > 64:
            raise ApplicationError(_("Give a reference of 1 to 64 characters."),
                                   field=f"{where}.record_ref")
        try:
            rows[reference] = pprl.from_text(str(item.get("encoding") or ""))
        except pprl.EncodingError as error:
            raise ApplicationError(
                _("The encoding must be %(bits)s bits in base64 (%(detail)s).")
                % {"bits": pprl.BITS, "detail": error}, field=f"{where}.encoding") from None
    saved = []
    for reference, encoding in rows.items():
        row, _created = PprlEncoding.objects.update_or_create(
            organisation_id=actor.organisation_id, record_ref=reference,
            defaults={"encoding": encoding})
        saved.append(row)
    audit_record(actor=actor, action="linkage.pprl.upload", detail={"records": len(saved)})
    return saved


@transaction.atomic
def pprl_link(*, actor: User | None, threshold: float = pprl.DEFAULT_THRESHOLD) -> int:
    """Link all uploaded encodings by Dice similarity; returns the number of persons."""
    rows = list(PprlEncoding.objects.order_by("pk"))
    encodings = [bytes(row.encoding) for row in rows]
    pairs = pprl.similar_pairs(encodings, threshold=threshold)
    # Within one organisation two references are two persons: it deduplicated already.
    edges = [(i, j) for i, j, _ in pairs if rows[i].organisation_id != rows[j].organisation_id]
    assignment = clustering.clusters(list(range(len(rows))), edges)
    for index, row in enumerate(rows):
        representative = rows[int(str(assignment[index]))]
        row.cluster_ref = f"{representative.organisation_id}:{representative.record_ref}"
    PprlEncoding.objects.bulk_update(rows, ["cluster_ref"], batch_size=1000)
    persons = len(set(assignment.values()))
    audit_record(actor=actor, action="linkage.pprl.link",
                 detail={"encodings": len(rows), "persons": persons, "threshold": threshold})
    return persons
