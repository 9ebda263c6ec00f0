"""What a candidate has done and what comes next: durations, per-bloc progress, next step.

Read-only helpers for the candidate's pages; every query here has a fixed count whatever the
number of compétences, proofs or experiences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.templatetags.french import fr_months
from dossiers.enums import DossierStatus, StatementState
from dossiers.models import CompetencyStatement, Dossier

S = DossierStatus
WEEKS_PER_MONTH = Decimal("4.33")


# --- experiences --------------------------------------------------------------------------


def _months(start: dt.date, end: dt.date) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month)


def total_months(experiences) -> int:
    """Calendar months covered by the experiences, overlapping periods counted once."""
    today = timezone.localdate()
    spans = sorted((e.start_date, e.end_date or today) for e in experiences)
    months, current = 0, None
    for start, end in spans:
        if current and start <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current:
            months += _months(*current)
        current = (start, end)
    if current:
        months += _months(*current)
    return months


def estimated_hours(experience) -> int | None:
    """Total hours given, else hours per week over the period (about 4.33 weeks a month)."""
    if experience.total_hours:
        return experience.total_hours
    if experience.hours_per_week:
        end = experience.end_date or timezone.localdate()
        weeks = Decimal((end - experience.start_date).days) / 7
        return int(experience.hours_per_week * weeks)
    return None


def duration_label(months: int) -> str:
    """« 2 ans et 6 mois »: the French filters' rule (``fr_months``)."""
    return fr_months(months or 0)


# --- stage 2 progress ---------------------------------------------------------------------


def statement_state(narrative: str, has_support: bool, min_length: int) -> str:
    """vide: nothing yet; complète: long enough and backed by a proof or experience; else en cours."""
    length = len(narrative.strip())
    if not length and not has_support:
        return StatementState.EMPTY
    if length >= min_length and has_support:
        return StatementState.COMPLETE
    return StatementState.IN_PROGRESS


def link_count(through) -> Coalesce:
    """How many rows of a statement's link table (its proofs or its experiences), as a subquery."""
    rows = (
        through.objects.filter(competencystatement_id=OuterRef("pk"))
        .order_by()
        .values("competencystatement_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def statements_with_state(dossier: Dossier, block=None) -> list[CompetencyStatement]:
    """The dossier's statements (of one bloc if given), in referential order, each with
    ``state`` (vide / en cours / complète), ``n_proofs`` and ``n_experiences``. One query."""
    # Counted per statement by subqueries (index lookups), not by joining and grouping the link
    # tables: the join made PostgreSQL hash millions of link rows at scale.
    statements = dossier.statements.select_related("competency__block").annotate(
        n_proofs=link_count(CompetencyStatement.proofs.through),
        n_experiences=link_count(CompetencyStatement.experiences.through),
    )
    if block is not None:
        statements = statements.filter(competency__block=block)
    statements = list(statements.order_by("competency__block__order", "competency__order"))
    min_length = dossier.certification.min_narrative_length
    for s in statements:
        s.state = statement_state(s.narrative, bool(s.n_proofs or s.n_experiences), min_length)
    return statements


@dataclass
class Progress:
    block: object = None
    total: int = 0
    complete: int = 0
    in_progress: int = 0
    statements: list = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.total) if self.total else 0

    @property
    def empty(self) -> int:
        return self.total - self.complete - self.in_progress


def progress(statements) -> tuple[list[Progress], Progress]:
    """Per bloc and overall progress of statements from ``statements_with_state``."""
    blocks: dict[int, Progress] = {}
    overall = Progress()
    for s in statements:
        p = blocks.setdefault(s.competency.block_id, Progress(block=s.competency.block))
        for target in (p, overall):
            target.total += 1
            target.complete += s.state == StatementState.COMPLETE
            target.in_progress += s.state == StatementState.IN_PROGRESS
        p.statements.append(s)
    return list(blocks.values()), overall


# --- what next ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str = ""
    label: str = ""


def next_step(dossier: Dossier) -> NextStep:
    """One sentence telling the candidate what to do now (or what they are waiting for)."""
    pk = dossier.pk
    match dossier.status:
        case S.DRAFT:
            return NextStep(
                _(
                    "Décrivez vos expériences, positionnez-vous sur chaque compétence, signez l'attestation sur "
                    "l'honneur et déposez une pièce d'identité, puis demandez la recevabilité."
                ),
                reverse("dossiers:detail", args=[pk]),
                _("Compléter ma demande de recevabilité"),
            )
        case S.FEASIBILITY_INCOMPLETE:
            return NextStep(
                _("Le certificateur demande de compléter votre demande (voir son commentaire), puis de la renvoyer."),
                reverse("dossiers:detail", args=[pk]),
                _("Compléter ma demande"),
            )
        case S.FEASIBILITY_SUBMITTED:
            return NextStep(
                _("Le certificateur examine votre demande de recevabilité. Un e-mail vous préviendra de sa décision.")
            )
        case S.INADMISSIBLE:
            return NextStep(_("Votre demande n'a pas été jugée recevable : le motif figure dans l'historique."))
        case S.ADMISSIBLE:
            return NextStep(
                _(
                    "Rédigez votre dossier de validation : pour chaque compétence, le récit de situations de travail "
                    "réelles, appuyé sur vos expériences et vos preuves. Puis déposez-le."
                ),
                reverse("dossiers:detail", args=[pk]),
                _("Rédiger mon dossier de validation"),
            )
        case S.VALIDATION_INCOMPLETE:
            return NextStep(
                _("Le certificateur vous demande de compléter votre dossier de validation (voir son commentaire)."),
                reverse("dossiers:detail", args=[pk]),
                _("Compléter mon dossier de validation"),
            )
        case S.VALIDATION_SUBMITTED:
            return NextStep(
                _("Votre dossier de validation est déposé : le certificateur vérifie qu'il est complet."),
                reverse("dossiers:submitted", args=[pk]),
                _("Relire le dossier déposé"),
            )
        case S.READY_FOR_JURY:
            return NextStep(_("Votre dossier est complet : la prochaine étape est votre convocation à un jury."))
        case S.SCHEDULED:
            return NextStep(_("Votre jury est programmé : la convocation vous a été envoyée."))
        case S.DECIDED:
            return NextStep(_("Le jury a rendu sa décision : son résultat figure sur cette page."))
        case _:
            return NextStep(_("Ce dossier est clos."))
