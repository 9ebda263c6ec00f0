"""What the notifications app hears from the apps below it, connected in ``AppConfig.ready``.

- A dossier's transition (``dossiers.TransitionLog`` created, in the transaction of the
  change): the candidate gets a notification of the new state (their e-mail is sent by
  ``dossiers.notifications``); the certifier's staff are told of a new recevabilité request and
  of a dossier de validation deposited (e-mailed per their preference).
- A convocation issued or moved (``juries.signals.convocation_issued``, after the commit) and a
  procès-verbal made final (``juries.Minutes`` saved as final: the results are released): the
  candidate gets a notification (the juries app sends their e-mails).
- A jury member's scoring validated (``juries.Evaluation`` saved as validated): the président
  is told once every scoring member has validated every grille of that candidate.
"""

from __future__ import annotations

from dossiers.enums import DossierStatus as S
from dossiers.models import TransitionLog
from juries.enums import EvaluationStatus, MinutesStatus
from juries.models import Convocation, Decision, Evaluation, Minutes
from notifications import events, services

# The states a candidate reaches by a certifier's or the jury's act, or by their own request.
STAFF_EVENTS = {
    S.FEASIBILITY_SUBMITTED: events.FEASIBILITY_SUBMITTED.key,
    S.VALIDATION_SUBMITTED: events.VALIDATION_SUBMITTED.key,
}
# No notification of these transitions: the convocation and the released result say it (as the
# e-mails do), once the juries app has issued them (below).
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


def convocation_issued(sender, convocation_id: int, **kwargs) -> None:
    conv = Convocation.objects.select_related("dossier__candidate", "dossier__certification").get(pk=convocation_id)
    services.notify([conv.dossier.candidate], events.CONVOCATION.key, dossier=conv.dossier)


def minutes_saved(sender, instance: Minutes, created: bool, raw: bool = False, update_fields=None, **kwargs):
    if raw or instance.status != MinutesStatus.FINAL:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    decisions = Decision.objects.in_force().filter(convocation__session=instance.session_id)
    for decision in decisions.select_related("dossier__candidate", "dossier__certification"):
        services.notify(
            [decision.dossier.candidate],
            events.JURY_RESULT.key,
            dossier=decision.dossier,
            url=decision.dossier.get_absolute_url() + "#resultat",
            once_key=f"decision-{decision.pk}",
        )
