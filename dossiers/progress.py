"""What a candidate has done and what comes next: durations, per-bloc progress, next step.

Read-only helpers for the candidate's pages; every query here has a fixed count whatever the
number of compétences, proofs or experiences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import IntegerField
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def link_count(through) -> RawSQL:
    """How many rows of a statement's link table (its proofs or its experiences), as a subquery
    of a query on the statements' own table. Written as SQL: the ORM's correlated subquery
    (``core.subqueries.count_of``) took a millisecond to compile on the autosave's hot path."""
    links, statements = through._meta.db_table, CompetencyStatement._meta.db_table
    return RawSQL(
        f'(SELECT COUNT(*) FROM "{links}" WHERE "{links}"."competencystatement_id" = "{statements}"."id")',
        (),
        output_field=IntegerField(),
    )


def statements_with_state(dossier: Dossier, block=None) -> list[CompetencyStatement]:
    """The dossier's statements (of one bloc if given), in referential order, each with
    ``state`` (vide / en cours / complète), ``n_proofs`` and ``n_experiences``. One query."""
    # Counted per statement by subqueries (index lookups), not by joining and grouping the link
    # tables: the join made PostgreSQL hash millions of link rows at scale.
    # Not the blocs' grilles: the compétence page shows its bloc's from a cached fragment
    # (``_assessment.html``), which reads it only when the cache is cold.
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
        s.written = len(s.narrative.strip()) >= min_length
    return statements


@dataclass
class Progress:
    block: object = None
    total: int = 0
    complete: int = 0
    in_progress: int = 0
    written: int = 0  # a narrative of the minimum length at least
    with_proofs: int = 0  # at least one proof linked
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
            target.written += s.written
            target.with_proofs += s.n_proofs > 0
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


def next_step_while_writing(dossier: Dossier, statements, competency_id: int | None = None) -> NextStep:
    """``next_step``, made precise while the candidate writes the dossier de validation: which
    compétence to complete next, or that everything is ready to submit. ``statements`` come from
    ``statements_with_state`` (the whole dossier); ``competency_id`` is the compétence on screen.
    No query."""
    if dossier.status != S.ADMISSIBLE or not statements:
        return next_step(dossier)
    todo = [s for s in statements if s.state != StatementState.COMPLETE]
    if not todo:
        return NextStep(
            _("Toutes vos compétences sont complètes : vérifiez ce qui manque encore, puis déposez votre dossier."),
            reverse("dossiers:submit_validation", args=[dossier.pk]),
            _("Vérifier et déposer"),
        )
    if any(s.competency_id == competency_id for s in todo):
        return NextStep(
            _(
                "Complétez cette compétence : un récit d'au moins %(n)s caractères, appuyé sur une expérience "
                "ou une preuve."
            )
            % {"n": dossier.certification.min_narrative_length}
        )
    # The first compétence left to complete after the one on screen, else the first of all.
    order = [s.competency_id for s in statements]
    here = order.index(competency_id) if competency_id in order else -1
    target = next((s for s in todo if order.index(s.competency_id) > here), todo[0])
    text = ngettext("Il reste %(n)s compétence à compléter.", "Il reste %(n)s compétences à compléter.", len(todo)) % {
        "n": len(todo)
    }
    if competency_id in order:
        text = _("Cette compétence est complète.") + " " + text
    code = target.competency.code
    return NextStep(
        text,
        reverse("dossiers:competency", args=[dossier.pk, target.competency_id]),
        _("Compléter la compétence %(code)s") % {"code": code} if code else _("Compléter la compétence suivante"),
    )


@dataclass(frozen=True)
class LiveProgress:
    """The counters and « Et maintenant ? » of one dossier page, refreshed as the candidate works."""

    next_step: NextStep
    progress: Progress | None = None  # of the bloc on screen, else of the whole dossier (stage 2)
    label: str = ""
    query: str = ""  # what the page sends to the fragment's URL to get the same again


def live_progress(dossier: Dossier, statements=None, block=None, competency_id: int | None = None) -> LiveProgress:
    """What the overview (neither given), a bloc's page (``block``) or a compétence's page
    (``competency_id``, one of the dossier's) shows. ``statements``: the whole dossier's, from
    ``statements_with_state`` (read here when not given: one query)."""
    if not dossier.in_stage2:
        return LiveProgress(next_step(dossier))
    if statements is None:
        statements = statements_with_state(dossier)
    per_block, overall = progress(statements)
    query = ""
    if competency_id is not None:
        block = next(s.competency.block for s in statements if s.competency_id == competency_id)
        query = f"competence={competency_id}"
    elif block is not None:
        query = f"bloc={block.pk}"
    if block is None:
        shown, label = overall, _("Avancement général")
    else:
        shown = next((p for p in per_block if p.block.pk == block.pk), None) or Progress(block=block)
        label = block.label
    return LiveProgress(next_step_while_writing(dossier, statements, competency_id), shown, label, query)
