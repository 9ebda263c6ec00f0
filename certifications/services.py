"""Every state change of a certification goes through here.

Rules:
- only a draft can be edited (``ensure_editable``); a published version is immutable;
- publishing checks the referential is complete, archives the previously published version of
  the same lineage, and logs both changes;
- a new version copies the whole tree into a draft, through the exchange format, so that a
  copy and an export/import are the same operation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications import referential
from certifications.enums import CertificationStatus
from certifications.models import Certification, CertificationEvent, Rubric


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
