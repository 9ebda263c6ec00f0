"""Every write of the messaging app: messages (with attachments and read receipts), the
certifier's request for a correction, staff annotations.

Rules:
- only a participant of the thread writes in it (``permissions.side_of``), and only once the
  dossier is visible to the certifier (recevabilité requested at least once); an accompagnateur
  only while their organisation accompanies the dossier (``permissions.may_write``): after the
  end they read without writing. Their messages carry their organisation;
- each message tells the other participants (``messaging.notify``, never its text): a
  candidate's the certifier's staff and the accompagnateur's organisation, the certifier's the
  candidate and that organisation, the accompagnateur's the candidate and the certifier's staff;
- a message is a text (``core.limits.LONG_TEXT`` at most) and up to ``MAX_ATTACHMENTS`` files,
  each checked exactly as a proof is (``dossiers.uploads.check_upload``: type by content, size,
  the dossier's quota counting its proofs and attachments) and scanned by the antivirus
  (``dossiers.scanning``, kind ``"message_attachment"``); a refused file refuses the whole
  message, nothing is stored;
- a certifier may ask for a correction in a message: in the same transaction the dossier goes
  "à compléter" through the dossiers service (recevabilité requested → recevabilité à
  compléter; dossier de validation déposé → à compléter), with the message as the motif the
  candidate is e-mailed; in any other state the message is refused;
- read receipts: the first time a participant reads a message of the other side, one row
  (``MessageRead``) per reader;
- annotations are the certifier side's; one flagged "à traiter avant décision" blocks the
  certifier's decisions until someone of that side marks it handled
  (``dossiers.hooks.decision_blockers``, filled in ``MessagingConfig.ready``);
- every write is a row of the dossier's audit trail (texts as length and SHA-256 only): the
  back office's history shows it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accompaniment import permissions as accompaniment_permissions
from accompaniment.models import StaffMember
from audit import services as audit
from core import limits
from core.errors import DomainError
from dossiers import scanning, uploads
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from dossiers.models import Dossier, Proof
from messaging import notify, permissions
from messaging.models import Annotation, Message, MessageAttachment, MessageRead, Side

MAX_ATTACHMENTS = 5
ATTACHMENT = "message_attachment"  # its kind in dossiers.scanning and core.file_access


class MessagingError(DomainError):
    """A refused write; the message is shown to the user as it is."""


def used_bytes(dossier: Dossier) -> int:
    """What the dossier's files already take of its quota: proofs and message attachments."""
    proofs = Proof.objects.filter(dossier=dossier).aggregate(total=Sum("size"))["total"] or 0
    attached = MessageAttachment.objects.filter(message__dossier=dossier).aggregate(total=Sum("size"))["total"] or 0
    return proofs + attached


def _locked(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update(of=("self",)).select_related("certification", "candidate").get(pk=dossier.pk)
    )


def _side_or_refuse(user, dossier: Dossier) -> str:
    side = permissions.side_of(user, dossier)
    if side is None:
        raise MessagingError(_("Vous ne participez pas aux échanges de ce dossier."))
    return side


@transaction.atomic
def post_message(
    dossier: Dossier, author, text: str, *, files: Sequence = (), request_correction: bool = False
) -> Message:
    """Post a message (and its files) in ``dossier``'s thread; with ``request_correction`` (the
    certifier's side only) reopen the dossier "à compléter" in the same transaction."""
    dossier = _locked(dossier)
    side = _side_or_refuse(author, dossier)
    if not permissions.may_write(author, dossier, side):
        raise MessagingError(
            _("L'accompagnement de ce dossier est terminé : vous lisez encore ses échanges, sans y écrire.")
        )
    if dossier.feasibility_submitted_at is None:
        raise MessagingError(
            _(
                "Les échanges avec le certificateur s'ouvrent une fois la recevabilité demandée : il ne voit pas "
                "encore votre dossier."
            )
        )
    text = (text or "").strip()
    if not text:
        raise MessagingError(_("Écrivez votre message."))
    limits.check(text, limits.LONG_TEXT, _("Le message"), MessagingError)
    files = list(files)
    if len(files) > MAX_ATTACHMENTS:
        raise MessagingError(
            _("Vous avez joint %(n)s fichiers : %(max)s au plus par message.")
            % {"n": len(files), "max": MAX_ATTACHMENTS}
        )
    used = used_bytes(dossier)
    checked = []
    for uploaded in files:  # every file checked before anything is stored
        result = uploads.check_upload(uploaded, used_bytes=used)
        checked.append((uploaded, result))
        used += result.size
    if request_correction:
        _reopen(dossier, author, side, text)
    organisation = None
    if side == Side.ACCOMPAGNATEUR:
        accompanying = accompaniment_permissions.accompanying(dossier)
        organisation = accompanying.organisation if accompanying else None
    message = Message.objects.create(
        dossier=dossier,
        author=author,
        side=side,
        organisation=organisation,
        text=text,
        requests_correction=request_correction,
    )
    stored: list[MessageAttachment] = []
    try:
        for uploaded, result in checked:
            attachment = MessageAttachment(
                message=message,
                original_name=result.name,
                content_type=result.content_type,
                size=result.size,
                sha256=result.sha256,
            )
            attachment.file.save(result.name, uploaded, save=False)
            stored.append(attachment)
            scanning.mark_new_file(attachment, ATTACHMENT)
            attachment.save()
    except Exception:
        for attachment in stored:
            if attachment.file.name:
                attachment.file.storage.delete(attachment.file.name)
        raise
    for attachment in stored:
        scanning.queue(ATTACHMENT, attachment.pk)
    audit.record(
        "message.correction_requested" if request_correction else "message.posted",
        actor=author,
        target=message,
        target_repr=str(Side(side).label),
        dossier=dossier,
        changes=audit.created({"text": audit.text_summary(text), "attachments": [a.original_name for a in stored]}),
    )
    _tell_the_other_side(message)
    return message


def _reopen(dossier: Dossier, author, side: str, text: str) -> None:
    if side != Side.CERTIFIER:
        raise MessagingError(_("Seul le certificateur peut demander une correction."))
    if dossier.status == S.FEASIBILITY_SUBMITTED:
        dossier_services.decide_feasibility(dossier, author, S.FEASIBILITY_INCOMPLETE, text)
    elif dossier.status == S.VALIDATION_SUBMITTED:
        dossier_services.review_validation(dossier, author, complete=False, comment=text)
    else:
        raise MessagingError(
            _(
                "Une correction se demande sur une demande de recevabilité ou un dossier de validation en attente "
                "d'examen ; ce dossier est « %(state)s »."
            )
            % {"state": dossier.get_status_display()}
        )
    dossier.refresh_from_db(fields=["status", "updated_at"])


def _certifier_staff(dossier: Dossier):
    return (
        get_user_model()
        .objects.filter(certifiers__in=dossier.certification.certifiers.all(), is_active=True)
        .distinct()
    )


def _accompagnateurs(dossier: Dossier):
    """The active staff of the organisation that accompanies ``dossier`` now (none if nobody)."""
    accompanying = accompaniment_permissions.accompanying(dossier)
    if accompanying is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(
        pk__in=StaffMember.objects.filter(organisation=accompanying.organisation, active=True).values("user_id"),
        is_active=True,
    )


def _tell_the_other_side(message: Message) -> None:
    dossier = message.dossier
    staff_url = reverse("backoffice:dossier", args=[dossier.pk]) + "#messages"
    candidate_url = reverse("messaging:thread", args=[dossier.pk])
    if message.side == Side.CANDIDATE:
        notify.notify(
            _certifier_staff(dossier), "message", dossier=dossier, url=staff_url, context={"author": message.author}
        )
    elif message.side == Side.CERTIFIER:
        notify.notify([dossier.candidate], "message_reply", dossier=dossier, url=candidate_url, context={})
    else:
        context = {"organisation": message.organisation.name if message.organisation else ""}
        notify.notify(
            [dossier.candidate], "message_accompagnateur", dossier=dossier, url=candidate_url, context=context
        )
        if dossier.feasibility_submitted_at is not None:  # the thread is open to the certifier
            notify.notify(
                _certifier_staff(dossier), "message_accompagnateur", dossier=dossier, url=staff_url, context=context
            )
        return
    notify.notify(
        _accompagnateurs(dossier),
        "message_accompanied",
        dossier=dossier,
        url=reverse("messaging:accompaniment_thread", args=[dossier.pk]),
        context={"from_candidate": message.side == Side.CANDIDATE},
    )


def mark_read(dossier: Dossier, reader, side: str | None = None) -> int:
    """Receipts for the messages of the other side that ``reader`` had not read; how many.
    ``side``: the reader's, when the caller has checked it already (else looked up)."""
    side = side or permissions.side_of(reader, dossier)
    if side is None:
        return 0
    unread = Message.objects.filter(dossier=dossier).exclude(side=side).exclude(reads__reader=reader)
    receipts = [MessageRead(message_id=pk, reader=reader) for pk in unread.values_list("pk", flat=True)]
    if receipts:
        MessageRead.objects.bulk_create(receipts, ignore_conflicts=True)
    return len(receipts)


# --- annotations --------------------------------------------------------------------------


@transaction.atomic
def add_annotation(dossier: Dossier, author, text: str, *, blocks_decision: bool = False) -> Annotation:
    dossier = _locked(dossier)
    if not permissions.may_annotate(author, dossier):
        raise MessagingError(_("Seul le personnel du certificateur annote un dossier."))
    text = (text or "").strip()
    if not text:
        raise MessagingError(_("Écrivez l'annotation."))
    limits.check(text, limits.LONG_TEXT, _("L'annotation"), MessagingError)
    annotation = Annotation.objects.create(dossier=dossier, author=author, text=text, blocks_decision=blocks_decision)
    audit.record(
        "annotation.added",
        actor=author,
        target=annotation,
        target_repr=_("annotation interne"),
        dossier=dossier,
        changes=audit.created({"text": audit.text_summary(text), "blocks_decision": blocks_decision}),
    )
    return annotation


@transaction.atomic
def resolve_annotation(annotation: Annotation, actor) -> Annotation:
    """Mark an annotation handled: it no longer blocks a decision."""
    annotation = Annotation.objects.select_for_update(of=("self",)).select_related("dossier").get(pk=annotation.pk)
    if not permissions.may_annotate(actor, annotation.dossier):
        raise MessagingError(_("Seul le personnel du certificateur annote un dossier."))
    if annotation.resolved_at is not None:
        raise MessagingError(_("Cette annotation est déjà traitée."))
    annotation.resolved_at = timezone.now()
    annotation.resolved_by = actor
    annotation.save(update_fields=["resolved_at", "resolved_by"])
    audit.record(
        "annotation.resolved",
        actor=actor,
        target=annotation,
        target_repr=_("annotation interne"),
        dossier=annotation.dossier,
    )
    return annotation


def decision_blocker(dossier: Dossier) -> str:
    """For ``dossiers.hooks.decision_blockers``: why the certifier may not decide yet."""
    n = Annotation.objects.blocking().filter(dossier_id=dossier.pk).count()
    if not n:
        return ""
    return ngettext(
        "Une annotation « à traiter avant décision » n'est pas encore traitée : traitez-la (onglet Dossier, "
        "annotations internes) avant de décider.",
        "%(n)s annotations « à traiter avant décision » ne sont pas encore traitées : traitez-les (onglet "
        "Dossier, annotations internes) avant de décider.",
        n,
    ) % {"n": n}
