"""Every state change of a certification goes through here.

Rules:
- only a draft can be edited (``ensure_editable``, checked on the locked certification row by
  every editing function, each atomic); a published version is immutable. The parts of a
  referential (blocs, compétences, modalités, grilles, critères, niveaux) are edited through the
  one door of ``certifications.editor``; the functions below name its edits for their callers
  and hold the operations that do more (moving a compétence to another bloc, renaming a group,
  creating a grille with its first levels);
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
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit import services as audit
from certifications import editor, referential
from certifications.editor import CertificationError, lock_draft, record, renumber
from certifications.editor import ensure_editable as ensure_editable  # callers know it as services.ensure_editable
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


@dataclass(frozen=True)
class Problem:
    message: str
    anchor: str  # the part of the editor where it can be fixed


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
    if previous is not None and not may_version_lineage(lineage_owners(previous), acting_organisations(actor)):
        # A version that entered another organisation's lineage (before the import checked it,
        # or by an administrator's ``import_rncp --force``) is published by a manager of the
        # lineage or an administrator, never by the newcomer: publishing archives the owner's.
        raise CertificationError(
            _(
                "Cette certification appartient à un autre certificateur : seul un certificateur qui "
                "gère la version publiée peut publier une nouvelle version."
            )
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
    "rncp_decision_date",
    "jury_composition_date",
    "rules",
    "requires_all_blocks",
    "requires_transversal",
    "partial_validation",
    "jury_composition",
    "jury_rule",
    "prerequisites",
    "regulatory_prerequisites",
    "options",
    "foreign_languages",
    "parcours",
    "fees",
    "jury_place",
    "notes",
    "min_narrative_length",
)
DEFAULT_LEVELS = (("Non démontré", 0), ("Partiellement démontré", 1), ("Démontré", 2))


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
    """A draft no dossier targets can be deleted, with its whole tree."""
    cert = lock_draft(certification.pk)
    if cert.dossiers.exists():
        raise CertificationError(_("Des dossiers visent cette version : elle ne peut pas être supprimée."))
    # The row outlives the draft (its certification becomes empty): it says who deleted what.
    record("draft_deleted", actor, cert, target=cert, comment=_("Version %(v)s") % {"v": cert.version})
    cert.delete()


@transaction.atomic
def update_certification(certification: Certification, actor=None, **values) -> Certification:
    """Identity, codes, dates and rules of a draft (``IDENTITY_FIELDS``); its code is no other
    lineage's."""
    cert = lock_draft(certification.pk)
    unknown = set(values) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    code = values.get("code")
    if code and Certification.objects.filter(code=code).exclude(lineage=cert.lineage).exists():
        raise CertificationError(_("Le code %(code)s est celui d'une autre certification.") % {"code": code})
    before = audit.values(cert, list(values))
    for name, value in values.items():
        setattr(cert, name, value)
    cert.full_clean(exclude=["slug"])
    cert.save(update_fields=[*values, "updated_at"])
    changes = audit.diff(before, audit.values(cert, list(values)))
    if changes:
        record("updated", actor, cert, target=cert, changes=changes)
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


# The plain edits, by name (each one is ``editor.add|update|delete|move`` of its part).
add_block = partial(editor.add, editor.BLOCK)
update_block = partial(editor.update, editor.BLOCK)
delete_block = partial(editor.delete, editor.BLOCK)  # with its compétences, modalités and grille
move_block = partial(editor.move, editor.BLOCK)
add_competency = partial(editor.add, editor.COMPETENCY)
update_competency = partial(editor.update, editor.COMPETENCY)
delete_competency = partial(editor.delete, editor.COMPETENCY)
add_assessment_method = partial(editor.add, editor.METHOD)  # block=None: a transversal épreuve
update_assessment_method = partial(editor.update, editor.METHOD)
delete_assessment_method = partial(editor.delete, editor.METHOD)
update_rubric = partial(editor.update, editor.RUBRIC)
delete_rubric = partial(editor.delete, editor.RUBRIC)
add_criterion = partial(editor.add, editor.CRITERION)
update_criterion = partial(editor.update, editor.CRITERION)
delete_criterion = partial(editor.delete, editor.CRITERION)
move_criterion = partial(editor.move, editor.CRITERION)
add_level = partial(editor.add, editor.LEVEL)
update_level = partial(editor.update, editor.LEVEL)
delete_level = partial(editor.delete, editor.LEVEL)
move_level = partial(editor.move, editor.LEVEL)


@transaction.atomic
def move_competency(competency: Competency, actor=None, direction: int = 0, block: Block | None = None) -> Competency:
    """Move up or down within its bloc (``direction``), or to the end of another ``block``.

    Moving to another bloc drops the compétence from the criteria of its former bloc's grille
    (a bloc's grille assesses that bloc's compétences); transversal grilles keep their links.
    """
    cert = lock_draft(competency.block.certification_id)
    competency = Competency.objects.select_related("block").get(pk=competency.pk)
    source = competency.block
    if block is None or block.pk == source.pk:
        return editor.move(editor.COMPETENCY, competency, actor, direction)
    if block.certification_id != cert.pk:
        raise CertificationError(_("Le bloc de destination n'appartient pas à cette certification."))
    for criterion in RubricCriterion.objects.filter(rubric__block=source, competencies=competency):
        criterion.competencies.remove(competency)
    # Last of its new bloc: parked past the end, then both blocs renumbered.
    order = (block.competencies.aggregate(m=Max("order"))["m"] or 0) + 1
    Competency.objects.filter(pk=competency.pk).update(block=block, order=order + editor.SHIFT)
    renumber(list(source.competencies.order_by("order")))
    renumber(list(block.competencies.order_by("order")))
    competency.refresh_from_db()
    changes = {"block": [str(source), str(block)]}
    record("competency_moved", actor, cert, competency, changes, target_repr=editor.competency_label(competency))
    return competency


@transaction.atomic
def rename_group(block: Block, actor=None, old: str = "", new: str = "") -> int:
    """Rename a group heading for every compétence of the bloc under it; returns how many.
    One row of the trail for them all (a queryset update)."""
    cert = lock_draft(block.certification_id)
    count = block.competencies.filter(group=old).update(group=new.strip())
    if count:
        record("group_renamed", actor, cert, block, {"group": [old, new.strip()], "count": [None, count]})
    return count


@transaction.atomic
def create_rubric(
    certification: Certification, actor=None, block: Block | None = None, method: AssessmentMethod | None = None
) -> Rubric:
    """A grille for a bloc or a transversal modalité (one grille each), started with three levels
    and, for a bloc, one criterion per compétence (the usual shape; the certifier edits from
    there). One row of the trail for the grille and what it starts with."""
    cert = lock_draft(certification.pk)
    if (block is None) == (method is None):
        raise ValueError("A rubric belongs to a block or to a transversal method")
    owner = block or method
    assert owner is not None  # for mypy: exactly one of them is given (checked above)
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
    changes = {"levels": [None, len(DEFAULT_LEVELS)], "criteria": [None, criteria]}
    record("rubric_created", actor, cert, rubric, changes, target_repr=str(owner))
    return rubric
