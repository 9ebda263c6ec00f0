"""What the notifications app hears from the apps below it, connected in ``AppConfig.ready``.

- A dossier's transition (``dossiers.TransitionLog`` created, in the transaction of the
  change): the candidate gets a notification of the new state (their e-mail is sent by
  ``dossiers.notifications``); the certifier's staff are told of a new recevabilité request and
  of a dossier de validation deposited (e-mailed per their preference).
- A jury member's scoring validated (``juries.Evaluation`` saved as validated): the président
  is told once every scoring member has validated every grille of that candidate.
"""

from __future__ import annotations

from dossiers.enums import DossierStatus as S
from dossiers.models import TransitionLog
from juries.enums import EvaluationStatus
from juries.models import Evaluation
from notifications import events, services

# The states a candidate reaches by a certifier's or the jury's act, or by their own request.
STAFF_EVENTS = {
    S.FEASIBILITY_SUBMITTED: events.FEASIBILITY_SUBMITTED.key,
    S.VALIDATION_SUBMITTED: events.VALIDATION_SUBMITTED.key,
}
# No notification of these: the juries app's convocation and result say it (as for the e-mails).
SILENT = {S.SCHEDULED, S.DECIDED}


def transition_logged(sender, instance: TransitionLog, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    dossier = instance.dossier
    if instance.to_status not in SILENT:
        services.notify(
            [user for user in [dossier.candidate] if user.pk != instance.actor_id],
            events.DOSSIER_TRANSITION.key,
            dossier=dossier,
        )
    staff_event = STAFF_EVENTS.get(instance.to_status)
    if staff_event:
        services.notify(
            [user for user in services.certifier_staff(dossier) if user.pk != instance.actor_id],
            staff_event,
            dossier=dossier,
            url=services.staff_dossier_url(dossier),
        )


def evaluation_saved(sender, instance: Evaluation, created: bool, raw: bool = False, update_fields=None, **kwargs):
    if raw or instance.status != EvaluationStatus.VALIDATED:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    services.scorings_validated(instance)
