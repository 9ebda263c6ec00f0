"""Outgoing hooks: a recorded decision on a dossier that came from France VAE becomes one outbox
message (``services.queue_message``), in the same transaction, sent once committed.

- TransitionLog feasibility_submitted → admissible / feasibility_incomplete / inadmissible:
  RECEVABLE / INCOMPLET / IRRECEVABLE with the comment and the decision letter (``documents.letters``).
- TransitionLog validation_submitted → ready_for_jury / validation_incomplete: VERIFIE / SIGNALE.
- Convocation issued or moved: the jury session (date, time in UTC, place, information) and the
  convocation PDF; a message for an earlier slot not sent yet is cancelled (the new one says it).
- A PDF rendered: the messages waiting for it leave (``services.document_ready``).
- Minutes becoming final: each decision in force of the session, mapped to France VAE's result,
  the blocs acquired written in the comment.
- A decision revoked: France VAE has no value for « no result any more ». A result not sent yet
  is cancelled; one already sent stays on France VAE until the next jury's result replaces it
  (``PUT``), and the sync log says so to the certifier.
"""

from __future__ import annotations

import datetime as dt

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from documents import letters
from documents.enums import DocumentKind, DocumentStatus
from documents.models import GeneratedDocument
from dossiers.enums import DossierStatus as S
from dossiers.models import TransitionLog
from francevae import mapping
from francevae.enums import Direction, MessageKind, MessageStatus
from francevae.models import FranceVaeLink, OutboxMessage
from francevae.services import attach, document_ready, log, queue_message
from juries.enums import ConvocationStatus, JuryDocumentKind
from juries.models import Convocation, Decision, Minutes


def _link(dossier_id: int) -> FranceVaeLink | None:
    return FranceVaeLink.objects.filter(dossier_id=dossier_id).select_related("connection").first()


@receiver(post_save, sender=TransitionLog, dispatch_uid="francevae_transition")
def transition_recorded(sender, instance: TransitionLog, created: bool, **kwargs) -> None:
    if not created:
        return
    move = (instance.from_status, instance.to_status)
    feasibility = mapping.FEASIBILITY_DECISIONS.get(instance.to_status) if move[0] == S.FEASIBILITY_SUBMITTED else None
    validation = mapping.VALIDATION_DECISIONS.get(instance.to_status) if move[0] == S.VALIDATION_SUBMITTED else None
    if not (feasibility or validation):
        return
    link = _link(instance.dossier_id)
    if link is None:
        return
    base = f"/candidatures/{link.candidature_id}"
    fields = {"decision": feasibility or validation}
    if instance.comment:
        fields["commentaire"] = instance.comment
    if feasibility:
        snapshot = letters.decided_version(instance)
        queue_message(
            link,
            MessageKind.FEASIBILITY_DECISION,
            f"feasibility_decision:{instance.pk}",
            "POST",
            f"{base}/dossierDeFaisabilite/decisions",
            fields,
            multipart=True,
            attachment=attach(DocumentKind.FEASIBILITY_DECISION, snapshot=snapshot) if snapshot else None,
        )
    else:
        queue_message(
            link,
            MessageKind.VALIDATION_DECISION,
            f"validation_decision:{instance.pk}",
            "POST",
            f"{base}/dossierDeValidation/decisions",
            fields,
            multipart=False,
        )


@receiver(post_save, sender=Convocation, dispatch_uid="francevae_convocation")
def convocation_saved(sender, instance: Convocation, **kwargs) -> None:
    if instance.status not in (ConvocationStatus.CONVOKED, ConvocationStatus.RESCHEDULED):
        return
    link = _link(instance.dossier_id)
    if link is None:
        return
    starts = instance.starts_at.astimezone(dt.UTC)
    session = instance.session
    fields = {
        "date": starts.date().isoformat(),
        "heure": starts.strftime("%H:%M"),
        "adresseSession": (session.place or session.video_link or "")[:2000],
        "informationsSession": (instance.notice or session.instructions or "")[:2000],
    }
    key = f"jury_session:{instance.pk}:{starts.isoformat()}"
    # An earlier slot not sent yet would arrive after, or instead of, this one: it goes.
    OutboxMessage.objects.filter(
        link=link,
        kind=MessageKind.JURY_SESSION,
        status=MessageStatus.PENDING,
        key__startswith=f"jury_session:{instance.pk}:",
    ).exclude(key=key).update(status=MessageStatus.CANCELLED, last_error=_("remplacé par la nouvelle date"))
    queue_message(
        link,
        MessageKind.JURY_SESSION,
        key,
        "PUT",
        f"/candidatures/{link.candidature_id}/informationJury/session",
        {k: v for k, v in fields.items() if v},
        multipart=True,
        attachment=attach(JuryDocumentKind.CONVOCATION, convocation=instance, fresh=True),
    )


@receiver(post_save, sender=Minutes, dispatch_uid="francevae_minutes")
def minutes_saved(sender, instance: Minutes, **kwargs) -> None:
    if not instance.is_final:
        return
    decisions = (
        Decision.objects.in_force()
        .filter(convocation__session_id=instance.session_id, dossier__francevae_link__isnull=False)
        .select_related("dossier__francevae_link__connection")
        .prefetch_related("items__block")
    )
    for decision in decisions:
        link = decision.dossier.francevae_link
        queue_message(
            link,
            MessageKind.JURY_RESULT,
            f"jury_result:{decision.pk}",
            "PUT",
            f"/candidatures/{link.candidature_id}/informationJury/resultat",
            mapping.result_fields(decision),
            multipart=False,
        )


@receiver(post_save, sender=Decision, dispatch_uid="francevae_decision_revoked")
def decision_revoked(sender, instance: Decision, **kwargs) -> None:
    if instance.revoked_at is None:
        return
    message = OutboxMessage.objects.select_for_update().filter(key=f"jury_result:{instance.pk}").first()
    if message is None:
        return
    if message.status == MessageStatus.PENDING:
        message.status, message.last_error = MessageStatus.CANCELLED, _("décision révoquée avant l'envoi")
        message.save(update_fields=["status", "last_error"])
        summary = _("Résultat du jury non envoyé : la décision a été révoquée avant l'envoi")
    elif message.status == MessageStatus.SENT:
        summary = _(
            "Décision révoquée : France VAE ne prévoit pas d'annuler un résultat ; celui envoyé y reste "
            "jusqu'au résultat du prochain jury, qui le remplacera"
        )
    else:
        return
    log(message.connection, message.link, Direction.OUT, summary, ok=False, answer=instance.revocation_reason)


@receiver(post_save, sender=GeneratedDocument, dispatch_uid="francevae_document_ready")
def document_rendered(sender, instance: GeneratedDocument, **kwargs) -> None:
    if instance.status == DocumentStatus.DONE and (instance.convocation_id or instance.snapshot_id):
        document_ready(instance)
