"""Erasing a candidate's personal data: their account, or one dossier.

Rules:
- Deleting an account is refused while one of its dossiers is being examined or is before a
  jury (``BLOCKING_STATES``): recevabilité requested (``feasibility_submitted``: the certifier
  is deciding, and the candidate cannot withdraw it either), dossier de validation submitted,
  ready for jury, convoked (``validation_submitted``, ``ready_for_jury``, ``scheduled``). A
  decision is due on it: the candidate waits for it (or withdraws first, where that is allowed),
  then deletes.
- Accounts of admins, certifier staff, jury members and accompagnateurs are closed by an
  administrator: the decisions they took (and the support they recorded) must stay attributable.
- A dossier on which a decision was taken (recevable, non recevable, jury decision) or that a
  jury record refers to is **kept, anonymised** (``KEPT_NOTE``): the certifier must be able to
  attest a certification or a bloc it delivered (acquired for life) and answer an appeal. What
  stays: its certification, states and dates, the decisions with their motifs, the
  convocations, and each submitted version's SHA-256. Everything the candidate wrote or
  uploaded is erased: experiences, narratives, self-positioning, the dossier de faisabilité's
  answers, proofs and identity document (files deleted from disk), the content of the submitted
  versions, their own comments, the dossier's message thread (attachments deleted from disk),
  the staff's annotations, and what their accompaniment organisation wrote about it
  (``accompaniment.privacy.erase``).
- Every other dossier is deleted with everything in it, its files and its audit trail included.
- The account itself stays as an anonymous, deactivated shell (``deleted-<id>@invalid``, no
  name, no phone, no usable password), so that what is kept points to no one; the login
  attempts recorded for its address are deleted.
- Files are deleted once the transaction commits: a rollback never leaves rows without files.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from functools import partial

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import FileField, ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accompaniment import privacy as accompaniment_privacy
from accounts import emails
from accounts.models import User
from audit import services as audit
from dossiers.enums import DossierStatus as S
from dossiers.models import Dossier, Feasibility, TransitionLog
from messaging.models import Annotation, Message

BLOCKING_STATES = {S.FEASIBILITY_SUBMITTED, S.VALIDATION_SUBMITTED, S.READY_FOR_JURY, S.SCHEDULED}
# Transitions that are decisions the certifier or the jury must keep.
DECISION_STATES = {S.ADMISSIBLE, S.INADMISSIBLE, S.DECIDED}
KEPT_NOTE = gettext_lazy(
    "Les décisions prises sur vos dossiers (recevabilité, décision du jury) sont conservées par le "
    "certificateur, avec leurs motifs, les procès-verbaux, vos convocations et l'empreinte "
    "(SHA-256) des versions déposées : il doit pouvoir attester une certification ou un bloc "
    "délivré — un bloc validé l'est à vie — et répondre d'une décision contestée. Elles sont "
    "rattachées à un compte anonyme : votre nom, votre adresse e-mail, vos expériences, vos récits, "
    "vos preuves et votre pièce d'identité n'y figurent plus."
)
logger = logging.getLogger(__name__)
ERASED_SNAPSHOT_KEYS = ("dossier", "certification", "targets_all_blocks", "acquired_blocks")


class DeletionRefused(Exception):
    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(reasons))


@dataclass
class DeletionReport:
    deleted: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    files: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _label(dossier: Dossier) -> str:
    cert = dossier.certification
    return f"{cert.code} {cert.title}".strip()


def is_staff_account(user) -> bool:
    return bool(
        user.is_superuser
        or user.is_staff
        or user.certifiers.exists()
        or user.jury_seats.exists()
        or user.accompaniment_roles.exists()
    )


def deletion_refusals(user) -> list[str]:
    """Why ``user`` may not delete their account now (empty: they may)."""
    if is_staff_account(user):
        return [
            _(
                "Ce compte est celui d'un administrateur, d'un certificateur, d'un membre de jury ou d'un "
                "accompagnateur : les décisions prises doivent rester attribuables. Demandez sa fermeture à un "
                "administrateur."
            )
        ]
    reasons = []
    for dossier in Dossier.objects.filter(candidate=user, status__in=BLOCKING_STATES).select_related("certification"):
        reasons.append(
            _(
                "Votre dossier « %(title)s » est « %(state)s » : une décision est attendue. Vous pourrez "
                "supprimer votre compte une fois la décision rendue."
            )
            % {"title": _label(dossier), "state": dossier.get_status_display()}
        )
    return reasons


def keeps_a_decision(dossier: Dossier) -> bool:
    """A certifier's or jury's decision was taken on it, or a jury record refers to it."""
    return (
        dossier.status in DECISION_STATES
        or dossier.transitions.filter(to_status__in=DECISION_STATES).exists()
        or dossier.convocations.exists()
    )


def deletion_plan(user) -> tuple[list[Dossier], list[Dossier]]:
    """(dossiers that would be deleted, dossiers that would be kept anonymised)."""
    deleted, kept = [], []
    for dossier in Dossier.objects.filter(candidate=user).select_related("certification").order_by("created_at"):
        (kept if keeps_a_decision(dossier) else deleted).append(dossier)
    return deleted, kept


# --- deleting rows with their files ---------------------------------------------------------


def _files(collector: Collector) -> list[tuple]:
    """(storage, name) of every file held by a row the collector is about to delete."""
    found = []
    for model, instances in collector.data.items():
        file_fields = [f for f in model._meta.fields if isinstance(f, FileField)]
        for obj in instances:
            for f in file_fields:
                value = getattr(obj, f.attname)
                if value:
                    found.append((value.storage, value.name))
    for queryset in collector.fast_deletes:
        file_fields = [f for f in queryset.model._meta.fields if isinstance(f, FileField)]
        for f in file_fields:
            storage = f.storage
            for name in queryset.exclude(**{f.attname: ""}).values_list(f.attname, flat=True):
                found.append((storage, name))
    return found


def _delete_files_on_commit(files: list[tuple]) -> None:
    def delete():
        for storage, name in files:
            storage.delete(name)

    if files:
        transaction.on_commit(delete)


def delete_with_files(objs) -> int:
    """Delete ``objs`` (a queryset or a list) and everything that cascades from them; their files
    are deleted once the transaction commits. Raises ``ProtectedError`` like ``delete()``."""
    collector = Collector(using=DEFAULT_DB_ALIAS)
    collector.collect(objs)
    files = _files(collector)
    collector.delete()
    _delete_files_on_commit(files)
    return len(files)


# --- one dossier ----------------------------------------------------------------------------


def _erased_snapshot(content: dict) -> dict:
    blocks = [{k: b.get(k) for k in ("id", "code", "title", "order")} for b in content.get("blocks", [])]
    return {
        **{k: content[k] for k in ERASED_SNAPSHOT_KEYS if k in content},
        "blocks": blocks,
        "erased_at": timezone.now().isoformat(),
    }


def erase_dossier_content(dossier: Dossier, actor=None) -> int:
    """Erase what the candidate wrote and uploaded in ``dossier``, keeping the dossier, its
    decisions and its submitted versions' fingerprints. Returns the number of files deleted."""
    files = delete_with_files(dossier.proofs.all())
    # The thread and the staff's annotations speak of the person: gone with their files (a
    # correction asked in a message stays as the motif of its transition).
    files += delete_with_files(Message.objects.filter(dossier=dossier))
    Annotation.objects.filter(dossier=dossier).delete()
    dossier.experiences.all().delete()
    dossier.statements.update(narrative="", self_comment="", self_assessment="")
    # The dossier de faisabilité's answers (address, situation, per-bloc comments); the civil
    # identity goes with accrochage's rule (kept while a declaration to the CDC needs it).
    dossier.block_statements.all().delete()
    Feasibility.objects.filter(dossier=dossier).delete()
    GeneratedDocument = _generated_documents_model()
    if GeneratedDocument is not None:
        # The dossier's PDFs hold its narratives; the jury's decision letters and attestations
        # (owned by its convocations) name the candidate. The decisions themselves stay.
        files += delete_with_files(GeneratedDocument.objects.filter(dossier=dossier))
        files += delete_with_files(GeneratedDocument.objects.filter(convocation__dossier=dossier))
    if dossier.identity_document:
        _delete_files_on_commit([(dossier.identity_document.storage, dossier.identity_document.name)])
        files += 1
    dossier.identity_document = ""
    dossier.identity_document_name = ""
    dossier.identity_document_sha256 = ""
    dossier.save(update_fields=["identity_document", "identity_document_name", "identity_document_sha256"])
    for snapshot in dossier.snapshots.all():
        snapshot.content = _erased_snapshot(snapshot.content)
        snapshot.save(update_fields=["content"])
    candidate_id = dossier.candidate_id
    TransitionLog.objects.filter(dossier=dossier, actor_id=candidate_id).exclude(comment="").update(comment="")
    dossier.audit_events.filter(actor_id=candidate_id).update(changes={}, target_repr="", comment="")
    dossier.purge_notices.all().delete()
    accompaniment_privacy.erase(dossier)
    audit.record("dossier.erased", actor=actor, dossier=dossier, changes={"files": [files, 0]})
    return files


def _generated_documents_model():
    try:
        return apps.get_model("documents", "GeneratedDocument")
    except LookupError:
        return None


def delete_dossier(dossier: Dossier) -> int:
    """Delete ``dossier`` with everything in it; returns the number of files deleted."""
    return delete_with_files([dossier])


# --- the account ----------------------------------------------------------------------------


def _anonymise(user) -> None:
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=user.email).delete()
    user.email = f"deleted-{user.pk}@invalid"
    user.first_name = ""
    user.last_name = ""
    user.phone = ""
    user.is_active = False
    user.awaiting_email_confirmation = False
    user.set_unusable_password()  # also ends the account's other sessions
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


@transaction.atomic
def delete_account(user) -> DeletionReport:
    """Erase ``user``'s personal data (module docstring) and tell them by e-mail what is kept."""
    user = User.objects.select_for_update().get(pk=user.pk)
    # Lock the dossiers too: a submission cannot slip in between the check and the erasure.
    list(Dossier.objects.select_for_update().filter(candidate=user).values_list("pk", flat=True))
    reasons = deletion_refusals(user)
    if reasons:
        raise DeletionRefused(reasons)
    address, name = user.email, user.get_full_name()
    report = DeletionReport()
    to_delete, to_keep = deletion_plan(user)
    for dossier in to_delete:
        label = _label(dossier)
        try:
            with transaction.atomic():
                report.files += delete_dossier(dossier)
        except (ProtectedError, RestrictedError):  # something we must keep refers to it
            to_keep.append(dossier)
        else:
            report.deleted.append(label)
    for dossier in to_keep:
        report.files += erase_dossier_content(dossier, actor=user)
        report.kept.append(_label(dossier))
    _anonymise(user)
    audit.record(
        "account.deleted",
        actor=user,
        target=user,
        target_repr=user.email,
        changes={"dossiers_deleted": [None, len(report.deleted)], "dossiers_kept": [None, len(report.kept)]},
    )
    transaction.on_commit(partial(_tell, address, name, report))
    return report


def _tell(address: str, name: str, report: DeletionReport) -> None:
    try:
        emails.queue("account_deleted", address, {"name": name, "report": report, "kept_note": KEPT_NOTE})
    except Exception:  # the deletion is done: a mail failure must not hide it
        logger.exception("Could not send the account deletion e-mail")
