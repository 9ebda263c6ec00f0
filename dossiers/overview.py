"""The candidate's view of a whole VAE, for the home page: four steps (recevabilité → dossier
de validation → jury → résultat), each with its date and where the dossier stands.

Pure functions of a dossier and its transitions (prefetched by the caller): no query here, so
that a list of dossiers costs a fixed number of queries. The jury's date is given by the caller
(the juries app is above this one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.enums import DossierStatus as S
from dossiers.models import Dossier, TransitionLog

DONE, CURRENT, TODO, STOPPED = "done", "current", "todo", "stopped"
STEP_LABELS = (
    gettext_lazy("Recevabilité"),
    gettext_lazy("Dossier de validation"),
    gettext_lazy("Jury"),
    gettext_lazy("Résultat"),
)
# The step each state belongs to (a final state is placed by the state it left).
STEP_OF = {
    S.DRAFT: 0,
    S.FEASIBILITY_SUBMITTED: 0,
    S.FEASIBILITY_INCOMPLETE: 0,
    S.INADMISSIBLE: 0,
    S.ADMISSIBLE: 1,
    S.VALIDATION_SUBMITTED: 1,
    S.VALIDATION_INCOMPLETE: 1,
    S.READY_FOR_JURY: 2,
    S.SCHEDULED: 2,
    S.DECIDED: 3,
}


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # done, current, todo, stopped
    note: str = ""
    date: dt.datetime | None = None


def _entered(transitions: list[TransitionLog], status: str) -> dt.datetime | None:
    """When the dossier last entered ``status``."""
    dates = [t.created_at for t in transitions if t.to_status == status and t.from_status != t.to_status]
    return dates[-1] if dates else None


def vae_timeline(dossier: Dossier, transitions: list[TransitionLog], jury_at: dt.datetime | None = None) -> list[Step]:
    """The four steps of ``dossier``'s VAE, oldest first."""
    status = dossier.status
    if status == S.WITHDRAWN:
        left = next((t.from_status for t in reversed(transitions) if t.to_status == S.WITHDRAWN), S.DRAFT)
        current = STEP_OF.get(left, 0)
    else:
        current = STEP_OF[status]
    stopped = status in (S.WITHDRAWN, S.INADMISSIBLE)
    admissible_at = _entered(transitions, S.ADMISSIBLE)
    complete_at = _entered(transitions, S.READY_FOR_JURY)
    decided_at = _entered(transitions, S.DECIDED)
    notes: list[tuple[str, dt.datetime | None]] = [
        (_("recevable le"), admissible_at)
        if admissible_at
        else (_("non recevable le"), _entered(transitions, S.INADMISSIBLE))
        if status == S.INADMISSIBLE
        else (_("demandée le"), dossier.feasibility_submitted_at)
        if dossier.feasibility_submitted_at
        else (_("à demander"), None),
        (_("complet le"), complete_at)
        if complete_at
        else (_("déposé le"), dossier.validation_submitted_at)
        if dossier.validation_submitted_at
        else (_("à rédiger puis déposer"), None),
        (_("convocation le"), jury_at) if jury_at else (_("date à venir"), None),
        (_("décision rendue le"), decided_at) if decided_at else ("", None),
    ]
    steps = []
    for index, (label, (note, date)) in enumerate(zip(STEP_LABELS, notes, strict=True)):
        if status == S.DECIDED or index < current:
            state = DONE
        elif index == current:
            state = STOPPED if stopped else CURRENT
        else:
            state = TODO
        if state == TODO:
            note, date = ("", None) if stopped else (note if date is None else note, date)
        steps.append(Step(str(label), state, note, date))
    if status == S.WITHDRAWN:
        index = current
        steps[index] = Step(steps[index].label, STOPPED, _("abandon le"), _entered(transitions, S.WITHDRAWN))
    return steps
