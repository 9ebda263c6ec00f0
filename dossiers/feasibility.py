"""The dossier de faisabilité's read-only rules: its sections in the model's order, what each one
requires, what is still missing, and the certifier's deadline. Writes are in ``dossiers.services``.

Rules (arrêté du 3 juillet 2025, modèle sans accompagnement; Code du travail R6412-3 and
L6412-2; each field's source in docs/recevabilite.md):
- mandatory: the nature of the request (and the earlier decision's date for a renewal); the
  option, foreign language, parcours where the certification has them; an answer for each
  regulatory prerequisite and, for one held, its proof; the candidate's identity (birth name,
  first name, date of birth, sex, nationality), levels, address with country, telephone,
  e-mail, status (and IDCC for an employee of the private sector), exactly two objectives; at
  least one experience; per bloc an activity, and a detailed comment for OUI and PARTIELLEMENT;
  the identity document; the signed block with the choice about accompaniment;
- recommended only: the experiences' working context, the usage name, the other first names;
- the certifier decides within two months of reception (``deadline``); silence is worth
  recevabilité (``services.record_implicit_admissibility``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from dossiers.enums import (
    STATUSES_WITH_IDCC,
    BlockActivity,
    FeasibilitySection,
    Objective,
    QualificationLevel,
    RequestNature,
    ScanStatus,
)
from dossiers.models import CivilIdentity, Dossier, Feasibility

SECTIONS = list(FeasibilitySection)
DEADLINE_MONTHS = 2
IDENTITY_REQUIRED = ("birth_name", "first_name1", "birth_date", "sex", "nationality")
CANDIDATE_REQUIRED = ("training_level", "certification_level", "street", "postcode", "city", "country")
CONTACT_REQUIRED = ("phone", "email", "status")


@dataclass(frozen=True)
class Gap:
    section: str
    message: str
    url: str


def feasibility_of(dossier: Dossier) -> Feasibility:
    """The dossier's feasibility row, created empty when the dossier has none yet."""
    try:
        return dossier.feasibility
    except Feasibility.DoesNotExist:
        return Feasibility.objects.get_or_create(dossier=dossier)[0]


def identity_of(dossier: Dossier) -> CivilIdentity | None:
    return CivilIdentity.objects.filter(dossier=dossier).first()


def section_url(dossier: Dossier, section: str) -> str:
    if section == FeasibilitySection.EXPERIENCES:
        return reverse("dossiers:experiences", args=[dossier.pk])
    return reverse("dossiers:feasibility_section", args=[dossier.pk, section])


def label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _gap(dossier: Dossier, section: str, field_label: str) -> Gap:
    return Gap(
        section,
        _("%(section)s : « %(field)s » est à renseigner.")
        % {"section": FeasibilitySection(section).label, "field": field_label},
        section_url(dossier, section),
    )


def prerequisite_proofs(dossier: Dossier) -> dict[str, int]:
    """How many sound proofs each prerequisite has (infected ones do not count)."""
    counts: dict[str, int] = {}
    for text in (
        dossier.proofs.filter(feasibility_role="prerequisite")
        .exclude(scan_status=ScanStatus.INFECTED)
        .values_list("prerequisite", flat=True)
    ):
        counts[text] = counts.get(text, 0) + 1
    return counts


def gaps(dossier: Dossier) -> list[Gap]:
    """Every mandatory field still missing, section by section, in the model's order."""
    cert = dossier.certification
    f = feasibility_of(dossier)
    identity = identity_of(dossier)
    out: list[Gap] = []
    S = FeasibilitySection
    # Nature of the request
    if not f.nature:
        out.append(_gap(dossier, S.NATURE, label(Feasibility, "nature")))
    elif f.nature == RequestNature.RENEWAL and not f.earlier_decision_date:
        out.append(_gap(dossier, S.NATURE, label(Feasibility, "earlier_decision_date")))
    # Certification
    for name, choices in (
        ("option", cert.options),
        ("foreign_language", cert.foreign_languages),
        ("parcours", cert.parcours),
    ):
        if choices and getattr(f, name) not in choices:
            out.append(_gap(dossier, S.CERTIFICATION, label(Feasibility, name)))
    # Prerequisites
    held = f.prerequisites_held or {}
    for text in cert.regulatory_prerequisites:
        if text not in held:
            out.append(
                Gap(
                    S.PREREQUISITES,
                    _("%(section)s : dites si vous détenez « %(p)s ».") % {"section": S.PREREQUISITES.label, "p": text},
                    section_url(dossier, S.PREREQUISITES),
                )
            )
    # The candidate
    for name in IDENTITY_REQUIRED:
        if identity is None or not getattr(identity, name):
            out.append(_gap(dossier, S.CANDIDATE, label(CivilIdentity, name)))
    for name in CANDIDATE_REQUIRED:
        if not getattr(f, name):
            out.append(_gap(dossier, S.CANDIDATE, label(Feasibility, name)))
    if f.certification_level and f.certification_level != QualificationLevel.NONE and not f.titles_held.strip():
        out.append(_gap(dossier, S.CANDIDATE, label(Feasibility, "titles_held")))
    for name in CONTACT_REQUIRED:
        if not getattr(f, name):
            out.append(_gap(dossier, S.CANDIDATE, label(Feasibility, name)))
    if f.status in STATUSES_WITH_IDCC and not f.idcc:
        out.append(_gap(dossier, S.CANDIDATE, label(Feasibility, "idcc")))
    valid_objectives = [o for o in f.objectives or [] if o in Objective.values]
    if len(valid_objectives) != 2:
        out.append(
            Gap(
                S.CANDIDATE,
                _("%(section)s : choisissez vos deux objectifs principaux.") % {"section": S.CANDIDATE.label},
                section_url(dossier, S.CANDIDATE),
            )
        )
    # Experiences
    if not dossier.experiences.exists():
        out.append(
            Gap(
                S.EXPERIENCES,
                _("%(section)s : ajoutez au moins une expérience.") % {"section": S.EXPERIENCES.label},
                section_url(dossier, S.EXPERIENCES),
            )
        )
    # Per bloc
    statements = {b.block_id: b for b in dossier.block_statements.all()}
    for block in dossier.targeted_blocks():
        name = f"{block.code} {block.title[:70]}".strip()
        st = statements.get(block.pk)
        url = section_url(dossier, S.BLOCKS) + f"#block-{block.pk}"
        if st is None or not st.activity:
            out.append(
                Gap(S.BLOCKS, _("Bloc « %(b)s » : indiquez l'activité (OUI, NON ou PARTIELLEMENT).") % {"b": name}, url)
            )
        elif st.activity in (BlockActivity.YES, BlockActivity.PARTLY) and not st.comment.strip():
            out.append(
                Gap(
                    S.BLOCKS,
                    _("Bloc « %(b)s » : le commentaire détaillé est obligatoire pour « %(a)s ».")
                    % {"b": name, "a": st.get_activity_display()},
                    url,
                )
            )
    # Documents
    docs_url = section_url(dossier, S.DOCUMENTS)
    if not dossier.identity_document:
        out.append(_gap(dossier, S.DOCUMENTS, _("pièce d'identité")))
    proofs = prerequisite_proofs(dossier)
    for text in cert.regulatory_prerequisites:
        if held.get(text) is True and not proofs.get(text):
            out.append(
                Gap(
                    S.DOCUMENTS,
                    _("%(section)s : joignez le justificatif du prérequis « %(p)s ».")
                    % {"section": S.DOCUMENTS.label, "p": text},
                    docs_url,
                )
            )
    for proof in dossier.proofs.filter(scan_status=ScanStatus.INFECTED).exclude(feasibility_role="").order_by("pk"):
        out.append(
            Gap(
                S.DOCUMENTS,
                _(
                    "La pièce « %(t)s » a été mise en quarantaine par l'antivirus : supprimez-la et déposez une "
                    "version saine."
                )
                % {"t": proof.title},
                docs_url,
            )
        )
    # The signed block
    if not f.accompaniment:
        out.append(_gap(dossier, S.SIGNATURE, label(Feasibility, "accompaniment")))
    if not dossier.sworn_statement_at:
        out.append(
            Gap(
                S.SIGNATURE,
                _("%(section)s : signez la déclaration sur l'honneur.") % {"section": S.SIGNATURE.label},
                section_url(dossier, S.SIGNATURE),
            )
        )
    return out


def section_states(dossier: Dossier) -> list[dict]:
    """Each section with its label, link and what it still lacks (for the overview page)."""
    found = gaps(dossier)
    return [
        {
            "key": s.value,
            "label": s.label,
            "url": section_url(dossier, s.value),
            "gaps": [g for g in found if g.section == s.value],
        }
        for s in SECTIONS
    ]


# --- the certifier's deadline -------------------------------------------------------------


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """Same day ``months`` later (the last day of a shorter month)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def deadline(received_at: dt.datetime | None) -> dt.datetime | None:
    """When silence becomes recevabilité: two months after reception (Code du travail L6412-2)."""
    return add_months(received_at, DEADLINE_MONTHS) if received_at else None
