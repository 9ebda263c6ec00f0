"""Every state change of a certification goes through here.

Rules:
- only a draft can be edited (``ensure_editable``, checked on the locked certification row by
  every editing function below, each atomic); a published version is immutable;
- publishing checks the referential is complete, archives the previously published version of
  the same lineage, and logs both changes;
- a new version copies the whole tree into a draft, through the exchange format, so that a
  copy and an export/import are the same operation;
- every edit of a draft is a row of the audit trail (``_audit``), in its transaction, with its
  actor; bulk writes (renumbering, renaming a group, a grille's default levels) are one row for
  the whole operation. Publication, archiving and new versions are ``CertificationEvent`` rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit import services as audit
from certifications import referential
from certifications.enums import CertificationStatus
from certifications.models import (
    AssessmentMethod,
    Block,
    Certification,
    CertificationEvent,
    Certifier,
    Competency,
    Rubric,
    RubricCriterion,
    RubricLevel,
)
from certifications.permissions import acting_organisations, lineage_owners, may_version_lineage


class CertificationError(Exception):
    """A refused change; the message is shown to the user."""


@dataclass(frozen=True)
class Problem:
    message: str
    anchor: str  # the part of the editor where it can be fixed


def ensure_editable(certification: Certification) -> None:
    if certification.status != CertificationStatus.DRAFT:
        message = _("La version %(version)s est %(status)s : elle ne peut plus être modifiée.")
        hint = _("Créez une nouvelle version.")
        values = {"version": certification.version, "status": certification.get_status_display()}
        raise CertificationError(f"{message % values} {hint}")


def publication_problems(certification: Certification) -> list[Problem]:
    """What prevents publishing: each problem with where to fix it."""
    problems: list[Problem] = []
    if certification.level is None:
        problems.append(Problem(_("Le niveau européen n'est pas renseigné."), "identity"))
    if not certification.rules.strip():
        problems.append(Problem(_("Les modalités d'obtention ne sont pas renseignées."), "identity"))
    blocks = list(certification.blocks.prefetch_related("competencies"))
    if not blocks:
        problems.append(Problem(_("La certification n'a aucun bloc de compétences."), "blocks"))
    with_rubric = set(Rubric.objects.filter(block__certification=certification).values_list("block_id", flat=True))
    for block in blocks:
        if not block.competencies.all():
            problems.append(
                Problem(_("Le bloc « %(block)s » n'a aucune compétence.") % {"block": block}, f"block-{block.pk}")
            )
        if block.pk not in with_rubric:
            problems.append(
                Problem(
                    _("Le bloc « %(block)s » n'a pas de grille critériée.") % {"block": block},
                    f"block-{block.pk}",
                )
            )
    if certification.requires_transversal and not certification.assessment_methods.filter(
        block__isnull=True, rubric__isnull=False
    ):
        problems.append(Problem(_("L'épreuve transversale requise n'a pas de grille critériée."), "transversal"))
    rubrics = Rubric.objects.filter(certification=certification).annotate(
        n_levels=Count("levels", distinct=True), n_criteria=Count("criteria", distinct=True)
    )
    for rubric in rubrics.select_related("block", "assessment_method"):
        owner = rubric.block or rubric.assessment_method
        if rubric.n_criteria == 0:
            problems.append(
                Problem(_("La grille de « %(owner)s » n'a aucun critère.") % {"owner": owner}, f"rubric-{rubric.pk}")
            )
        if rubric.n_levels < 2:
            problems.append(
                Problem(
                    _("La grille de « %(owner)s » doit avoir au moins deux niveaux.") % {"owner": owner},
                    f"rubric-{rubric.pk}",
                )
            )
    return problems


def _log(certification: Certification, from_status: str, to_status: str, actor, comment: str = "") -> None:
    CertificationEvent.objects.create(
        certification=certification,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )


@transaction.atomic
def publish(certification: Certification, actor=None) -> Certification:
    cert = Certification.objects.select_for_update().get(pk=certification.pk)
    if cert.status != CertificationStatus.DRAFT:
        raise CertificationError(_("Seul un brouillon peut être publié."))
    problems = publication_problems(cert)
    if problems:
        raise CertificationError(
            _("Publication impossible : %(problems)s") % {"problems": " ".join(p.message for p in problems)}
        )
    previous = (
        Certification.objects.select_for_update()
        .filter(lineage=cert.lineage, status=CertificationStatus.PUBLISHED)
        .first()
    )
    if previous is not None:
        previous.status = CertificationStatus.ARCHIVED
        previous.save(update_fields=["status", "updated_at"])
        _log(
            previous,
            CertificationStatus.PUBLISHED,
            CertificationStatus.ARCHIVED,
            actor,
            _("Remplacée par la version %(v)s") % {"v": cert.version},
        )
    cert.status = CertificationStatus.PUBLISHED
    cert.published_at = timezone.now()
    cert.save(update_fields=["status", "published_at", "updated_at"])
    _log(cert, CertificationStatus.DRAFT, CertificationStatus.PUBLISHED, actor)
    return cert


@transaction.atomic
def archive(certification: Certification, actor=None) -> Certification:
    cert = Certification.objects.select_for_update().get(pk=certification.pk)
    if cert.status != CertificationStatus.PUBLISHED:
        raise CertificationError(_("Seule une version publiée peut être archivée."))
    cert.status = CertificationStatus.ARCHIVED
    cert.save(update_fields=["status", "updated_at"])
    _log(cert, CertificationStatus.PUBLISHED, CertificationStatus.ARCHIVED, actor)
    return cert


@transaction.atomic
def new_version(certification: Certification, actor=None) -> Certification:
    """Copy the whole tree of ``certification`` into a new draft of the same lineage."""
    if Certification.objects.filter(lineage=certification.lineage, status=CertificationStatus.DRAFT).exists():
        raise CertificationError(_("Un brouillon de cette certification existe déjà : modifiez-le."))
    data = referential.read_certification(referential.export_certification(certification), "certification")
    draft = referential.create_certification(data)
    _log(
        draft,
        "",
        CertificationStatus.DRAFT,
        actor,
        _("Copie de la version %(v)s") % {"v": certification.version},
    )
    return draft


# --- the referential editor ---------------------------------------------------------------
# Every function below locks the certification row, refuses anything but a draft, and runs in
# one transaction: an edit is complete or absent.

IDENTITY_FIELDS = (
    "code",
    "title",
    "level",
    "nsf_codes",
    "formacodes",
    "rome_codes",
    "end_of_registration",
    "rules",
    "requires_all_blocks",
    "requires_transversal",
    "partial_validation",
    "jury_composition",
    "jury_rule",
    "prerequisites",
    "fees",
    "jury_place",
    "notes",
    "min_narrative_length",
)
BLOCK_FIELDS = ("code", "title", "domain", "description")
COMPETENCY_FIELDS = ("code", "group", "text")
METHOD_FIELDS = ("kind", "title", "description", "duration", "length", "assessors")
RUBRIC_FIELDS = ("title", "pass_threshold_percent", "no_minimum_level", "pass_rule")
CRITERION_FIELDS = ("text", "weight")
LEVEL_FIELDS = ("label", "points")
DEFAULT_LEVELS = (("Non démontré", 0), ("Partiellement démontré", 1), ("Démontré", 2))
_SHIFT = 100_000  # orders are moved out of the way before renumbering (unique per parent)


def _audit(action: str, actor, cert: Certification, target=None, changes=None, **kwargs) -> None:
    audit.record(f"referential.{action}", actor=actor, certification=cert, target=target, changes=changes, **kwargs)


def _lock_draft(certification_id: int) -> Certification:
    cert = Certification.objects.select_for_update().get(pk=certification_id)
    ensure_editable(cert)
    return cert


def _set(obj, fields: tuple[str, ...], values: dict[str, Any]) -> list[str]:
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(obj, name, value)
    return list(values)


def _renumber(items: list) -> None:
    """Give ``items`` the orders 1..n in list order, avoiding the (parent, order) unique clash."""
    if not items:
        return
    model = type(items[0])
    model.objects.filter(pk__in=[i.pk for i in items]).update(order=F("order") + _SHIFT)
    for position, item in enumerate(items, start=1):
        item.order = position
        model.objects.filter(pk=item.pk).update(order=position)


def _moved(items: list, item, direction: int) -> list:
    """``items`` with ``item`` swapped with its neighbour (-1: up, +1: down); same list at an end."""
    index = [i.pk for i in items].index(item.pk)
    target = index + direction
    if direction not in (-1, 1) or not 0 <= target < len(items):
        return items
    items = list(items)
    items[index], items[target] = items[target], items[index]
    return items


def _moved_and_logged(action: str, actor, cert: Certification, items: list, item, direction: int) -> None:
    """Move ``item`` among ``items`` and record its order before and after (one row for the
    renumbering, which runs as queryset updates)."""
    before = next(i.order for i in items if i.pk == item.pk)
    moved = _moved(items, item, direction)
    _renumber(moved)
    if moved is items:  # at an end: nothing moved
        return
    after = next(i.order for i in moved if i.pk == item.pk)
    _audit(action, actor, cert, item, {"order": [before, after]})


def _unique_slug(base: str) -> str:
    base = slugify(base)[:110] or "certification"
    slug, n = base, 1
    while Certification.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_draft(actor, certifiers: list[Certifier], title: str, code: str = "", level: int | None = None):
    """A new certification (version 1 of a new lineage), as a draft of ``certifiers``."""
    if not certifiers:
        raise CertificationError(_("Choisissez au moins un certificateur."))
    if code and Certification.objects.filter(code=code).exists():
        raise CertificationError(
            _("La certification %(code)s existe déjà : créez-en une nouvelle version.") % {"code": code}
        )
    cert = Certification.objects.create(title=title, code=code, level=level, slug=_unique_slug(code or title))
    cert.certifiers.set(certifiers)
    _log(cert, "", CertificationStatus.DRAFT, actor, _("Création"))
    return cert


@transaction.atomic
def delete_draft(certification: Certification, actor=None) -> None:
    cert = _lock_draft(certification.pk)
    if cert.dossiers.exists():
        raise CertificationError(_("Des dossiers visent cette version : elle ne peut pas être supprimée."))
    # The row outlives the draft (its certification becomes empty): it says who deleted what.
    _audit("draft_deleted", actor, cert, target=cert, comment=_("Version %(v)s") % {"v": cert.version})
    cert.delete()


@transaction.atomic
def update_certification(certification: Certification, actor=None, **values) -> Certification:
    """Identity, codes, dates and rules of a draft (``IDENTITY_FIELDS``)."""
    cert = _lock_draft(certification.pk)
    code = values.get("code")
    if code and Certification.objects.filter(code=code).exclude(lineage=cert.lineage).exists():
        raise CertificationError(_("Le code %(code)s est celui d'une autre certification.") % {"code": code})
    before = audit.values(cert, [f for f in IDENTITY_FIELDS if f in values])
    fields = _set(cert, IDENTITY_FIELDS, values)
    cert.full_clean(exclude=["slug"])
    cert.save(update_fields=[*fields, "updated_at"])
    changes = audit.diff(before, audit.values(cert, fields))
    if changes:
        _audit("updated", actor, cert, target=cert, changes=changes)
    return cert


@transaction.atomic
def import_referential(data: Any, actor, allowed) -> list[Certification]:
    """Import an exchange document as drafts, all or nothing.

    A document may only add a version to a certification the actor already manages
    (``permissions.may_version_lineage``, the rule every import shares), and what it creates must
    end up in ``allowed``, the queryset of certifications the actor manages (its certifiers include
    one of the actor's organisations).
    """
    items = referential.read_document(data)
    acting = acting_organisations(actor)
    created = []
    for item in items:
        previous = referential.find_lineage(item)
        if previous is not None:
            if not may_version_lineage(lineage_owners(previous), acting):
                raise CertificationError(
                    _("La certification « %(title)s » appartient à un autre certificateur : import refusé.")
                    % {"title": item["code"] or item["title"]}
                )
            if Certification.objects.filter(lineage=previous.lineage, status=CertificationStatus.DRAFT).exists():
                raise CertificationError(
                    _("Un brouillon de « %(title)s » existe déjà : modifiez-le ou supprimez-le avant d'importer.")
                    % {"title": item["code"] or item["title"]}
                )
        cert = referential.create_certification(item)
        if not allowed.filter(pk=cert.pk).exists():
            raise CertificationError(
                _(
                    "« %(title)s » : aucun des certificateurs du fichier n'est votre organisme ; "
                    "vous ne pourriez pas modifier ce brouillon. Import refusé."
                )
                % {"title": item["code"] or item["title"]}
            )
        _log(cert, "", CertificationStatus.DRAFT, actor, _("Import d'un fichier de référentiel"))
        created.append(cert)
    return created


# blocs


@transaction.atomic
def add_block(certification: Certification, actor=None, **values) -> Block:
    cert = _lock_draft(certification.pk)
    order = (cert.blocks.aggregate(m=Max("order"))["m"] or 0) + 1
    block = Block(certification=cert, order=order)
    _set(block, BLOCK_FIELDS, values)
    block.save()
    _audit("block_added", actor, cert, block, audit.created(audit.values(block, BLOCK_FIELDS)))
    return block


@transaction.atomic
def update_block(block: Block, actor=None, **values) -> Block:
    cert = _lock_draft(block.certification_id)
    block = Block.objects.get(pk=block.pk)
    before = audit.values(block, BLOCK_FIELDS)
    fields = _set(block, BLOCK_FIELDS, values)
    block.save(update_fields=fields)
    changes = audit.diff(before, audit.values(block, BLOCK_FIELDS))
    if changes:
        _audit("block_updated", actor, cert, block, changes)
    return block


@transaction.atomic
def delete_block(block: Block, actor=None) -> None:
    """Deletes the bloc with its compétences, modalités and grille; the others close ranks."""
    cert = _lock_draft(block.certification_id)
    _audit("block_deleted", actor, cert, block, audit.deleted(audit.values(block, BLOCK_FIELDS)))
    Block.objects.filter(pk=block.pk).delete()
    _renumber(list(cert.blocks.order_by("order")))


@transaction.atomic
def move_block(block: Block, actor=None, direction: int = 1) -> None:
    cert = _lock_draft(block.certification_id)
    _moved_and_logged("block_moved", actor, cert, list(cert.blocks.order_by("order")), block, direction)


# compétences


@transaction.atomic
def add_competency(block: Block, actor=None, **values) -> Competency:
    cert = _lock_draft(block.certification_id)
    order = (block.competencies.aggregate(m=Max("order"))["m"] or 0) + 1
    competency = Competency(block=block, order=order)
    _set(competency, COMPETENCY_FIELDS, values)
    competency.save()
    _audit(
        "competency_added",
        actor,
        cert,
        competency,
        audit.created(audit.values(competency, [*COMPETENCY_FIELDS, "block"])),
        target_repr=_competency_label(competency),
    )
    return competency


def _competency_label(competency: Competency) -> str:
    return f"{competency.code} {competency.text}".strip()[:255]


@transaction.atomic
def update_competency(competency: Competency, actor=None, **values) -> Competency:
    cert = _lock_draft(competency.block.certification_id)
    competency = Competency.objects.get(pk=competency.pk)
    before = audit.values(competency, COMPETENCY_FIELDS)
    fields = _set(competency, COMPETENCY_FIELDS, values)
    competency.save(update_fields=fields)
    changes = audit.diff(before, audit.values(competency, COMPETENCY_FIELDS))
    if changes:
        _audit("competency_updated", actor, cert, competency, changes, target_repr=_competency_label(competency))
    return competency


@transaction.atomic
def delete_competency(competency: Competency, actor=None) -> None:
    cert = _lock_draft(competency.block.certification_id)
    block = competency.block
    _audit(
        "competency_deleted",
        actor,
        cert,
        competency,
        audit.deleted(audit.values(competency, COMPETENCY_FIELDS)),
        target_repr=_competency_label(competency),
    )
    Competency.objects.filter(pk=competency.pk).delete()
    _renumber(list(block.competencies.order_by("order")))


@transaction.atomic
def move_competency(competency: Competency, actor=None, direction: int = 0, block: Block | None = None) -> Competency:
    """Move up or down within its bloc (``direction``), or to the end of another ``block``.

    Moving to another bloc drops the compétence from the criteria of its former bloc's grille
    (a bloc's grille assesses that bloc's compétences); transversal grilles keep their links.
    """
    cert = _lock_draft(competency.block.certification_id)
    competency = Competency.objects.select_related("block").get(pk=competency.pk)
    source = competency.block
    if block is None or block.pk == source.pk:
        items = list(source.competencies.order_by("order"))
        _moved_and_logged("competency_moved", actor, cert, items, competency, direction)
        return competency
    if block.certification_id != cert.pk:
        raise CertificationError(_("Le bloc de destination n'appartient pas à cette certification."))
    for criterion in RubricCriterion.objects.filter(rubric__block=source, competencies=competency):
        criterion.competencies.remove(competency)
    order = (block.competencies.aggregate(m=Max("order"))["m"] or 0) + 1
    Competency.objects.filter(pk=competency.pk).update(block=block, order=order + _SHIFT)
    _renumber(list(source.competencies.order_by("order")))
    competency.refresh_from_db()
    _renumber(list(block.competencies.order_by("order")))
    competency.refresh_from_db()
    _audit(
        "competency_moved",
        actor,
        cert,
        competency,
        {"block": [str(source), str(block)]},
        target_repr=_competency_label(competency),
    )
    return competency


@transaction.atomic
def rename_group(block: Block, actor=None, old: str = "", new: str = "") -> int:
    """Rename a group heading for every compétence of the bloc under it; returns how many."""
    cert = _lock_draft(block.certification_id)
    count = block.competencies.filter(group=old).update(group=new.strip())
    if count:
        _audit("group_renamed", actor, cert, block, {"group": [old, new.strip()], "count": [None, count]})
    return count


# modalités


@transaction.atomic
def add_assessment_method(
    certification: Certification, actor=None, block: Block | None = None, **values
) -> AssessmentMethod:
    """A modalité for ``block``, or for the whole certification (transversal) when it is None."""
    cert = _lock_draft(certification.pk)
    if block is not None and block.certification_id != cert.pk:
        raise CertificationError(_("Ce bloc n'appartient pas à cette certification."))
    siblings = cert.assessment_methods.filter(block=block)
    method = AssessmentMethod(certification=cert, block=block, order=(siblings.aggregate(m=Max("order"))["m"] or 0) + 1)
    _set(method, METHOD_FIELDS, values)
    method.save()
    _audit("method_added", actor, cert, method, audit.created(audit.values(method, [*METHOD_FIELDS, "block"])))
    return method


@transaction.atomic
def update_assessment_method(method: AssessmentMethod, actor=None, **values) -> AssessmentMethod:
    cert = _lock_draft(method.certification_id)
    method = AssessmentMethod.objects.get(pk=method.pk)
    before = audit.values(method, METHOD_FIELDS)
    fields = _set(method, METHOD_FIELDS, values)
    method.save(update_fields=fields)
    changes = audit.diff(before, audit.values(method, METHOD_FIELDS))
    if changes:
        _audit("method_updated", actor, cert, method, changes)
    return method


@transaction.atomic
def delete_assessment_method(method: AssessmentMethod, actor=None) -> None:
    cert = _lock_draft(method.certification_id)
    _audit("method_deleted", actor, cert, method, audit.deleted(audit.values(method, METHOD_FIELDS)))
    AssessmentMethod.objects.filter(pk=method.pk).delete()


# grilles critériées


def _rubric_competencies(rubric: Rubric, competencies) -> list[Competency]:
    competencies = list(competencies)
    if any(c.block.certification_id != rubric.certification_id for c in competencies):
        raise CertificationError(_("Une compétence choisie n'appartient pas à cette certification."))
    return competencies


@transaction.atomic
def create_rubric(
    certification: Certification, actor=None, block: Block | None = None, method: AssessmentMethod | None = None
) -> Rubric:
    """A grille for a bloc or a transversal modalité, started with three levels and, for a
    bloc, one criterion per compétence (the usual shape; the certifier edits from there)."""
    cert = _lock_draft(certification.pk)
    if (block is None) == (method is None):
        raise ValueError("A rubric belongs to a block or to a transversal method")
    owner = block or method
    if owner.certification_id != cert.pk:
        raise CertificationError(_("Cet élément n'appartient pas à cette certification."))
    if method is not None and method.block_id is not None:
        raise CertificationError(_("Seule une épreuve transversale a sa propre grille ; un bloc a la sienne."))
    existing = Rubric.objects.filter(block=block) if block else Rubric.objects.filter(assessment_method=method)
    if existing.exists():
        raise CertificationError(_("Cette grille existe déjà."))
    rubric = Rubric.objects.create(certification=cert, block=block, assessment_method=method)
    RubricLevel.objects.bulk_create(
        RubricLevel(rubric=rubric, label=label, points=points, order=i)
        for i, (label, points) in enumerate(DEFAULT_LEVELS, start=1)
    )
    criteria = 0
    if block is not None:
        for i, comp in enumerate(block.competencies.order_by("order"), start=1):
            RubricCriterion.objects.create(rubric=rubric, text=comp.text, order=i).competencies.add(comp)
            criteria = i
    # One row for the grille and what it starts with (levels are a bulk_create).
    changes = {"levels": [None, len(DEFAULT_LEVELS)], "criteria": [None, criteria]}
    _audit("rubric_created", actor, cert, rubric, changes, target_repr=str(owner))
    return rubric


@transaction.atomic
def update_rubric(rubric: Rubric, actor=None, **values) -> Rubric:
    cert = _lock_draft(rubric.certification_id)
    rubric = Rubric.objects.get(pk=rubric.pk)
    before = audit.values(rubric, RUBRIC_FIELDS)
    fields = _set(rubric, RUBRIC_FIELDS, values)
    rubric.full_clean()
    rubric.save(update_fields=fields)
    changes = audit.diff(before, audit.values(rubric, RUBRIC_FIELDS))
    if changes:
        _audit("rubric_updated", actor, cert, rubric, changes)
    return rubric


@transaction.atomic
def delete_rubric(rubric: Rubric, actor=None) -> None:
    cert = _lock_draft(rubric.certification_id)
    _audit("rubric_deleted", actor, cert, rubric, audit.deleted(audit.values(rubric, RUBRIC_FIELDS)))
    Rubric.objects.filter(pk=rubric.pk).delete()


@transaction.atomic
def add_criterion(rubric: Rubric, actor=None, text: str = "", weight=1, competencies=()) -> RubricCriterion:
    cert = _lock_draft(rubric.certification_id)
    order = (rubric.criteria.aggregate(m=Max("order"))["m"] or 0) + 1
    criterion = RubricCriterion(rubric=rubric, text=text, weight=weight, order=order)
    criterion.full_clean()
    criterion.save()
    linked = _rubric_competencies(rubric, competencies)
    criterion.competencies.set(linked)
    after = {**audit.values(criterion, CRITERION_FIELDS), "competencies": audit.ids(linked)}
    _audit("criterion_added", actor, cert, criterion, audit.created(after))
    return criterion


@transaction.atomic
def update_criterion(criterion: RubricCriterion, actor=None, text: str = "", weight=1, competencies=()):
    cert = _lock_draft(criterion.rubric.certification_id)
    criterion = RubricCriterion.objects.select_related("rubric").get(pk=criterion.pk)
    before = {**audit.values(criterion, CRITERION_FIELDS), "competencies": audit.ids(criterion.competencies.all())}
    criterion.text, criterion.weight = text, weight
    criterion.full_clean()
    criterion.save(update_fields=["text", "weight"])
    linked = _rubric_competencies(criterion.rubric, competencies)
    criterion.competencies.set(linked)
    changes = audit.diff(before, {**audit.values(criterion, CRITERION_FIELDS), "competencies": audit.ids(linked)})
    if changes:
        _audit("criterion_updated", actor, cert, criterion, changes)
    return criterion


@transaction.atomic
def delete_criterion(criterion: RubricCriterion, actor=None) -> None:
    cert = _lock_draft(criterion.rubric.certification_id)
    rubric = criterion.rubric
    _audit("criterion_deleted", actor, cert, criterion, audit.deleted(audit.values(criterion, CRITERION_FIELDS)))
    RubricCriterion.objects.filter(pk=criterion.pk).delete()
    _renumber(list(rubric.criteria.order_by("order")))


@transaction.atomic
def move_criterion(criterion: RubricCriterion, actor=None, direction: int = 1) -> None:
    cert = _lock_draft(criterion.rubric.certification_id)
    items = list(criterion.rubric.criteria.order_by("order"))
    _moved_and_logged("criterion_moved", actor, cert, items, criterion, direction)


@transaction.atomic
def add_level(rubric: Rubric, actor=None, label: str = "", points: int = 0) -> RubricLevel:
    cert = _lock_draft(rubric.certification_id)
    order = (rubric.levels.aggregate(m=Max("order"))["m"] or 0) + 1
    level = RubricLevel.objects.create(rubric=rubric, label=label, points=points, order=order)
    _audit("level_added", actor, cert, level, audit.created(audit.values(level, LEVEL_FIELDS)))
    return level


@transaction.atomic
def update_level(level: RubricLevel, actor=None, label: str = "", points: int = 0) -> RubricLevel:
    cert = _lock_draft(level.rubric.certification_id)
    before = audit.values(RubricLevel.objects.get(pk=level.pk), LEVEL_FIELDS)
    RubricLevel.objects.filter(pk=level.pk).update(label=label, points=points)
    level.refresh_from_db()
    changes = audit.diff(before, audit.values(level, LEVEL_FIELDS))
    if changes:
        _audit("level_updated", actor, cert, level, changes)
    return level


@transaction.atomic
def delete_level(level: RubricLevel, actor=None) -> None:
    cert = _lock_draft(level.rubric.certification_id)
    rubric = level.rubric
    _audit("level_deleted", actor, cert, level, audit.deleted(audit.values(level, LEVEL_FIELDS)))
    RubricLevel.objects.filter(pk=level.pk).delete()
    _renumber(list(rubric.levels.order_by("order")))


@transaction.atomic
def move_level(level: RubricLevel, actor=None, direction: int = 1) -> None:
    cert = _lock_draft(level.rubric.certification_id)
    _moved_and_logged("level_moved", actor, cert, list(level.rubric.levels.order_by("order")), level, direction)
