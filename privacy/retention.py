"""Purging abandoned drafts (``manage.py purge_drafts``, daily from Celery beat).

Rules:
- Concerned: drafts, and withdrawn dossiers on which no decision was ever taken (a withdrawn
  dossier that was declared recevable keeps that decision: see ``erasure``). Dossiers waiting
  on the certifier or the jury, or on the candidate after a certifier's review
  (``feasibility_incomplete``, ``validation_incomplete``: the certifier has an open file on
  them), are never purged.
- A dossier's last activity is the latest of: the dossier's own changes, its statements'
  saves, its transitions, and the audit rows of its candidate's writes (experiences, proofs…).
- Once inactive for ``DRAFT_RETENTION_DAYS - DRAFT_PURGE_NOTICE_DAYS`` days, the candidate is
  e-mailed (links only) once; the notice is recorded (``DraftPurgeNotice``). Any activity after
  it cancels it; abandoned again later, the dossier gets a new notice.
- Inactive for ``DRAFT_RETENTION_DAYS`` days and noticed at least ``DRAFT_PURGE_NOTICE_DAYS``
  days ago, the dossier is deleted with its files. A row without personal data records it.
- A dossier whose recevabilité was requested in the last 365 days or this calendar year is kept:
  it still counts towards the legal limits on requests (Code du travail R6412-3).
- Each dossier is handled in its own transaction, with its row locked and its state checked
  again, so that a candidate coming back meanwhile is never purged.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import emails
from accounts.models import DraftPurgeNotice
from audit import services as audit
from audit.models import AuditEvent
from dossiers.enums import DossierStatus as S
from dossiers.models import CompetencyStatement, Dossier, TransitionLog
from privacy.erasure import DECISION_STATES, delete_dossier

logger = logging.getLogger(__name__)
PURGEABLE_STATES = {S.DRAFT, S.WITHDRAWN}


@dataclass
class PurgeReport:
    noticed: list[int] = field(default_factory=list)
    purged: list[int] = field(default_factory=list)
    dry_run: bool = False


def _latest(queryset: QuerySet, date_field: str):
    return Subquery(queryset.order_by(f"-{date_field}").values(date_field)[:1], output_field=DateTimeField())


def purgeable(now: dt.datetime | None = None) -> QuerySet[Dossier]:
    """Dossiers the purge may concern, each annotated with ``last_activity``."""
    now = now or timezone.now()
    start_of_year = timezone.make_aware(dt.datetime(timezone.localtime(now).year, 1, 1))
    recent_request = min(now - dt.timedelta(days=365), start_of_year)
    own = {"dossier": OuterRef("pk")}
    activity = [
        _latest(CompetencyStatement.objects.filter(**own), "updated_at"),
        _latest(TransitionLog.objects.filter(**own), "created_at"),
        _latest(AuditEvent.objects.filter(**own, actor=OuterRef("candidate")), "updated_at"),
    ]
    return (
        Dossier.objects.filter(status__in=PURGEABLE_STATES)
        .exclude(Exists(TransitionLog.objects.filter(**own, to_status__in=DECISION_STATES)))
        .exclude(feasibility_submitted_at__gte=recent_request)
        .annotate(last_activity=Greatest(F("updated_at"), *(Coalesce(a, F("updated_at")) for a in activity)))
    )


def _notice_since_activity(**extra):
    notices = DraftPurgeNotice.objects.filter(dossier=OuterRef("pk"), sent_at__gte=OuterRef("last_activity"))
    return Exists(notices.filter(**extra))


def due_for_notice(now: dt.datetime, days: int, notice_days: int) -> QuerySet[Dossier]:
    return (
        purgeable(now)
        .filter(last_activity__lte=now - dt.timedelta(days=days - notice_days))
        .exclude(_notice_since_activity())
    )


def due_for_purge(now: dt.datetime, days: int, notice_days: int) -> QuerySet[Dossier]:
    return purgeable(now).filter(
        Q(last_activity__lte=now - dt.timedelta(days=days)),
        _notice_since_activity(sent_at__lte=now - dt.timedelta(days=notice_days)),
    )


def purge_drafts(
    *, days: int | None = None, notice_days: int | None = None, dry_run: bool = False, now: dt.datetime | None = None
) -> PurgeReport:
    """Notice the drafts about to be purged and purge those noticed long enough ago."""
    days = settings.DRAFT_RETENTION_DAYS if days is None else days
    notice_days = settings.DRAFT_PURGE_NOTICE_DAYS if notice_days is None else notice_days
    if not 0 < notice_days < days:
        raise ValueError("notice_days must be positive and shorter than days")
    now = now or timezone.now()
    report = PurgeReport(dry_run=dry_run)
    for pk in list(due_for_purge(now, days, notice_days).values_list("pk", flat=True)):
        if dry_run or _purge_one(pk, now, days, notice_days):
            report.purged.append(pk)
    for pk in list(due_for_notice(now, days, notice_days).values_list("pk", flat=True)):
        if dry_run or _notice_one(pk, now, days, notice_days):
            report.noticed.append(pk)
    return report


@transaction.atomic
def _purge_one(pk: int, now: dt.datetime, days: int, notice_days: int) -> bool:
    dossier = Dossier.objects.select_for_update().select_related("certification").filter(pk=pk).first()
    if dossier is None or not due_for_purge(now, days, notice_days).filter(pk=pk).exists():
        return False
    label = _("Dossier n°%(id)s — %(cert)s") % {
        "id": dossier.pk,
        "cert": dossier.certification.code or dossier.certification.title[:60],
    }
    status = dossier.status
    delete_dossier(dossier)
    audit.record(
        "dossier.purged",
        actor=None,
        certification=dossier.certification,
        target_repr=label,
        changes={"status": [status, None]},
        comment=_("Inactif depuis %(days)s jours ; avis envoyé au moins %(notice)s jours avant.")
        % {"days": days, "notice": notice_days},
    )
    return True


@transaction.atomic
def _notice_one(pk: int, now: dt.datetime, days: int, notice_days: int) -> bool:
    dossier = Dossier.objects.select_for_update().select_related("certification", "candidate").filter(pk=pk).first()
    if dossier is None:
        return False
    annotated = due_for_notice(now, days, notice_days).filter(pk=pk).first()
    if annotated is None:
        return False
    # Deleted once inactive for ``days``, and never sooner than ``notice_days`` after the notice.
    purge_after = max(annotated.last_activity + dt.timedelta(days=days), now + dt.timedelta(days=notice_days))
    DraftPurgeNotice.objects.create(dossier=dossier, sent_at=now, purge_after=purge_after)
    audit.record(
        "dossier.purge_notice",
        actor=None,
        dossier=dossier,
        comment=_("Suppression prévue après le %(date)s.") % {"date": date_format(timezone.localtime(purge_after))},
    )
    transaction.on_commit(partial(_send_notice, dossier.pk, purge_after))
    return True


def _send_notice(dossier_id: int, purge_after: dt.datetime) -> None:
    dossier = Dossier.objects.select_related("candidate", "certification").get(pk=dossier_id)
    context = {
        "dossier": dossier,
        "candidate": dossier.candidate,
        "purge_date": timezone.localtime(purge_after).date(),
        "dossier_url": settings.SITE_URL + dossier.get_absolute_url(),
        "data_url": settings.SITE_URL + reverse("accounts:my_data"),
        "withdrawn": dossier.status == S.WITHDRAWN,
    }
    try:
        emails.queue("draft_purge_notice", dossier.candidate.email, context)
    except Exception:  # the notice is recorded; the deletion waits for it anyway
        logger.exception("Could not send the purge notice of dossier %s", dossier_id)
