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
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.text import shorten
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
STATUSES_WITH_IDCC_VALUES = {str(s) for s in STATUSES_WITH_IDCC}
DEADLINE_MONTHS = 2
# The accompanied version's section in a submitted dossier (``readable_sections``); no page of
# the candidate's: the accompaniment app fills it (``hooks.feasibility_parts``).
ACCOMPANIED_KEY = "accompanied"
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
        name = f"{block.code} {shorten(block.title, 70)}".strip()
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
        out.append(
            Gap(
                S.DOCUMENTS,
                _("%(section)s : déposez une pièce d'identité.") % {"section": S.DOCUMENTS.label},
                docs_url,
            )
        )
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


# --- reading a submitted dossier de faisabilité (the PDF, the certifier's review page) -------


def _row(label_text, value, mandatory: bool = True) -> dict:
    value = "" if value is None else str(value)
    return {"label": str(label_text), "value": value, "missing": mandatory and not value.strip()}


def _heading(text) -> dict:
    return {"heading": str(text)}


def _date(value: str | None) -> str:
    return formats.date_format(dt.date.fromisoformat(value), "j F Y") if value else ""


def _duration(months: int) -> str:
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(ngettext("%(n)s an", "%(n)s ans", years) % {"n": years})
    if rest or not years:
        parts.append(ngettext("%(n)s mois", "%(n)s mois", rest) % {"n": rest})
    return _(" et ").join(parts)


def _hours(value: str) -> str:
    return value[:-2] if value.endswith(".0") else value.replace(".", ",")


def _address(address: dict) -> str:
    if not (address.get("street") and address.get("city")):
        return ""
    town = " ".join(filter(None, [address.get("postcode"), address.get("city")]))
    return ", ".join(filter(None, [address.get("street"), address.get("complement"), town]))


def readable_sections(content: dict) -> list[dict]:
    """A snapshot's dossier de faisabilité in the model's sections and order: every field with
    its value, a mandatory one marked ``missing`` when empty (a snapshot taken before this
    model existed shows every field missing); an accompanied request adds its section before the
    signed block. Each section: key, number, label, rows."""
    S = FeasibilitySection
    f = content.get("feasibility") or {}
    cert = content.get("certification") or {}
    identity = f.get("identity") or {}
    address = f.get("address") or {}
    yes, no = _("oui"), _("non")
    sections: dict[str, list[dict]] = {s.value: [] for s in SECTIONS}
    sections[S.NATURE] = [_row(_("Nature de la demande"), f.get("nature_label"))]
    if f.get("nature") == "renewal":
        sections[S.NATURE].append(_row(_("Date de la décision antérieure"), _date(f.get("earlier_decision_date"))))
    rows = [
        _row(_("Intitulé"), cert.get("title")),
        _row(_("Code RNCP ou RS"), cert.get("code"), mandatory=False),
        _row(_("Certificateur"), ", ".join(cert.get("certifiers") or [])),
    ]
    for key, text in (
        ("option", _("Option")),
        ("foreign_language", _("Langue vivante étrangère")),
        ("parcours", _("Parcours, mention ou spécialité")),
    ):
        if f.get(key):
            rows.append(_row(text, f.get(key)))
    targeted = ", ".join(" ".join(filter(None, [b.get("code"), b.get("title")])) for b in content.get("blocks", []))
    rows.append(
        _row(
            _("Demande portant sur"),
            _("la certification entière")
            if content.get("targets_all_blocks")
            else _("les blocs : %(b)s") % {"b": targeted},
        )
    )
    sections[S.CERTIFICATION] = rows
    prereqs = f.get("prerequisites") or []
    sections[S.PREREQUISITES] = [
        _row(p["text"], "" if p.get("held") is None else (yes if p["held"] else no)) for p in prereqs
    ] or [_row(_("Prérequis réglementaires"), _("aucun pour cette certification"))]
    sections[S.CANDIDATE] = [
        _row(_("Nom de naissance"), identity.get("birth_name")),
        _row(_("Nom d'usage"), identity.get("usage_name"), mandatory=False),
        _row(_("Prénoms"), ", ".join(identity.get("first_names") or [])),
        _row(_("Date de naissance"), _date(identity.get("birth_date"))),
        _row(_("Nationalité"), identity.get("nationality")),
        _row(_("Sexe (état civil)"), identity.get("sex_label")),
        _row(_("Niveau de formation le plus élevé"), f.get("training_level_label")),
        _row(_("Niveau de la certification la plus élevée obtenue"), f.get("certification_level_label")),
        _row(
            _("Intitulés des certifications obtenues"),
            f.get("titles_held"),
            mandatory=bool(f.get("certification_level")) and f.get("certification_level") != "none",
        ),
        _row(
            _("Adresse"),
            ", ".join(
                filter(
                    None,
                    [
                        address.get("street"),
                        address.get("complement"),
                        " ".join(filter(None, [address.get("postcode"), address.get("city")])),
                    ],
                )
            )
            if address.get("street") and address.get("city")
            else "",
        ),
        _row(_("Pays"), address.get("country")),
        _row(_("Téléphone"), f.get("phone")),
        _row(_("Adresse e-mail"), f.get("email")),
        _row(_("Statut"), f.get("status_label")),
        _row(_("Convention collective (IDCC)"), f.get("idcc"), mandatory=f.get("status") in STATUSES_WITH_IDCC_VALUES),
        _row(_("Objectifs principaux"), " ; ".join(o["label"] for o in f.get("objectives") or [])),
    ]
    rows = []
    for i, e in enumerate(content.get("experiences") or [], start=1):
        rows.append(_heading(f"E{i} — {e.get('role', '')}, {e.get('organisation', '')}"))
        rows += [
            _row(_("Intitulé du poste"), e.get("role")),
            _row(_("Date de début"), _date(e.get("start_date"))),
            _row(_("Durée"), _duration(e.get("months") or 0) + ("" if e.get("end_date") else " " + _("(en cours)"))),
            _row(
                _("Temps de travail"),
                _("%(h)s h par semaine") % {"h": _hours(e["hours_per_week"])}
                if e.get("hours_per_week")
                else ngettext("%(n)s heure au total", "%(n)s heures au total", e.get("total_hours") or 0)
                % {"n": e.get("total_hours") or 0},
                mandatory=False,
            ),
            _row(_("Description"), e.get("activities")),
            _row(_("Contexte d'exercice (recommandé)"), e.get("working_context"), mandatory=False),
        ]
    sections[S.EXPERIENCES] = rows or [_row(_("Expériences"), "")]
    rows = []
    for b in f.get("blocks") or []:
        rows.append(_heading(" ".join(filter(None, [b.get("code"), b.get("title")]))))
        rows.append(_row(_("Activité"), b.get("activity_label")))
        rows.append(_row(_("Commentaire détaillé"), b.get("comment"), mandatory=b.get("activity") in ("yes", "partly")))
    sections[S.BLOCKS] = rows or [_row(_("Activités par bloc"), "")]
    identity_doc = content.get("identity_document") or {}
    rows = [_row(_("Pièce d'identité"), identity_doc.get("name"))]
    for p in prereqs:
        if p.get("held"):
            proofs = [d for d in f.get("documents") or [] if d.get("prerequisite") == p["text"]]
            rows.append(
                _row(
                    _("Justificatif : %(p)s") % {"p": p["text"]},
                    ", ".join(d["file_name"] for d in proofs),
                )
            )
    for d in f.get("documents") or []:
        if d.get("role") != "prerequisite":
            rows.append(_row(d.get("role_label"), f"{d.get('title')} ({d.get('file_name')})", mandatory=False))
    sections[S.DOCUMENTS] = rows
    sworn = content.get("sworn_statement_at")
    sections[S.SIGNATURE] = [
        _row(_("Accompagnement"), f.get("accompaniment_label")),
        _row(
            _("Déclaration sur l'honneur signée le"),
            _date(dt.datetime.fromisoformat(sworn).date().isoformat()) if sworn else "",
        ),
        _row(_("Commentaires"), f.get("comments"), mandatory=False),
    ]
    ordered = [(s.value, str(s.label), sections[s.value]) for s in SECTIONS]
    accompanied = f.get("accompanied")
    if accompanied:
        # The accompanied version's own section, before the candidate's signed block that closes
        # the dossier (a placement of the portal's, docs/recevabilite.md).
        section = (ACCOMPANIED_KEY, _("Avis de l'accompagnateur et parcours prévu"), _accompanied_rows(accompanied))
        ordered.insert(len(ordered) - 1, section)
    return [
        {
            "key": key,
            "number": i,
            "label": text,
            "rows": rows,
            "missing": sum(1 for r in rows if r.get("missing")),
        }
        for i, (key, text, rows) in enumerate(ordered, start=1)
    ]


def _moment(value: str | None) -> str:
    return _date(dt.datetime.fromisoformat(value).date().isoformat()) if value else ""


def _planned_hours(value) -> str:
    if value is None:
        return ""
    return ngettext("%(n)s heure", "%(n)s heures", value) % {"n": value}


def _accompanied_rows(a: dict) -> list[dict]:
    """The accompanied version's section (``hooks.feasibility_parts``, filled by the
    accompaniment app): the organisation's opinion, the planned parcours, the candidate's
    reading and acceptance. Mandatory: the opinion, its comment, the hours and the acceptance."""
    organisation = a.get("organisation") or ""
    if organisation and a.get("siret"):
        organisation = _("%(org)s (SIRET %(siret)s)") % {"org": organisation, "siret": a["siret"]}
    return [
        _heading(_("Avis de l'organisme d'accompagnement sur la faisabilité")),
        _row(_("Organisme d'accompagnement"), organisation),
        _row(_("Avis"), capfirst(a.get("verdict_label") or "")),
        _row(_("Commentaire de l'accompagnateur"), a.get("comment")),
        _row(_("Préconisations"), a.get("recommendations"), mandatory=False),
        _row(_("Avis donné le"), _moment(a.get("given_at"))),
        _row(_("Avis donné par"), a.get("given_by"), mandatory=False),
        _heading(_("Parcours prévu")),
        _row(_("Accompagnement individuel"), _planned_hours(a.get("individual_hours"))),
        _row(_("Accompagnement collectif"), _planned_hours(a.get("collective_hours"))),
        _row(_("Formation"), _planned_hours(a.get("training_hours"))),
        _row(_("Formations obligatoires"), a.get("mandatory_training") or _("aucune"), mandatory=False),
        _row(_("Savoirs de base"), a.get("basic_skills") or _("aucun"), mandatory=False),
        _heading(_("Lecture et acceptation du parcours par le candidat")),
        _row(_("Engagement du candidat"), a.get("commitment"), mandatory=False),
        _row(_("Avis lu et parcours accepté le"), _moment(a.get("accepted_at"))),
    ]
