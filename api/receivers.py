"""Where webhook events come from: ``post_save`` of the rows the dossier and jury services write
(the transition log, the convocation, the procès-verbal), connected in ``ApiConfig.ready``. The
services themselves know nothing of webhooks.

Events (``WebhookEventType``):
- ``dossier.depose``: a transition to "recevabilité demandée" (action ``recevabilite``) or to
  "dossier de validation déposé" (``validation``);
- ``dossier.decision``: a transition out of either of those states (the recevabilité decision,
  the review of the dossier de validation), with the new state;
- ``convocation``: a convocation created (``emise``), moved (``reportee``) or cancelled
  (``annulee``); an attendance recorded is not one;
- ``procesVerbal.definitif``: a session's procès-verbal becomes final: its results can be read.

Each goes to the certifiers of the certification concerned: exactly the organisations whose
staff (and so whose tokens) can read the dossier or the session.
"""

from __future__ import annotations

from api import webhooks
from api.models import WebhookEventType as E
from dossiers.enums import DossierStatus as S

DEPOSITS = {S.FEASIBILITY_SUBMITTED: "recevabilite", S.VALIDATION_SUBMITTED: "validation"}


def _organisations(certification_id: int) -> list[int]:
    from certifications.models import Certification

    return list(
        Certification.certifiers.through.objects.filter(certification_id=certification_id).values_list(
            "certifier_id", flat=True
        )
    )


def on_transition(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    if instance.to_status in DEPOSITS:
        event, action = E.DOSSIER_DEPOSITED, DEPOSITS[instance.to_status]
    elif instance.from_status in DEPOSITS:
        event, action = E.DECISION, DEPOSITS[instance.from_status]
    else:
        return
    dossier = instance.dossier
    webhooks.emit(
        event,
        _organisations(dossier.certification_id),
        {
            "action": action,
            "candidature": dossier.pk,
            "etat": instance.to_status,
            "etatPrecedent": instance.from_status,
            "url": webhooks.api_url("api:get_candidature", dossier.pk),
        },
    )


def on_convocation(sender, instance, created, raw=False, update_fields=None, **kwargs):
    from juries.enums import ConvocationStatus

    if raw:
        return
    fields = set(update_fields or ())
    if created:
        action = "emise"
    elif instance.status == ConvocationStatus.CANCELLED and "status" in fields:
        action = "annulee"
    elif instance.status == ConvocationStatus.RESCHEDULED and {"starts_at", "session"} & fields:
        action = "reportee"
    else:
        return
    session = instance.session
    webhooks.emit(
        E.CONVOCATION,
        _organisations(session.certification_id),
        {
            "action": action,
            "convocation": instance.pk,
            "candidature": instance.dossier_id,
            "session": instance.session_id,
            "debut": instance.starts_at,
            "fin": instance.ends_at,
            "statut": instance.status,
            "url": webhooks.api_url("api:get_jury_information", instance.dossier_id),
        },
    )


def on_minutes(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not instance.is_final:
        return
    if not created and update_fields is not None and "status" not in update_fields:
        return
    session = instance.session
    webhooks.emit(
        E.MINUTES_FINAL,
        _organisations(session.certification_id),
        {
            "session": session.pk,
            "sha256": instance.content_sha256,
            "definitifLe": instance.finalised_at,
            "url": webhooks.api_url("api:get_session", session.pk),
        },
    )
