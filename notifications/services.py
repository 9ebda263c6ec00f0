"""Notifying people: in the portal, and by e-mail per their preference (see the package's
docstring for the contract of :func:`notify`).

Business rules:

- one ``Notification`` per recipient, created in the transaction of the change (it commits or
  rolls back with it); inactive accounts and duplicates are dropped;
- the e-mail follows the recipient's preference for the event (default: the event's):
  ``immediate`` renders and queues it now (sent once the transaction commits, by
  ``core.emails``), ``daily`` leaves it for the morning's digest, ``never`` sends none; an event
  another app e-mails itself (``email=False``) sends none here;
- the digest (:func:`send_daily_digests`, beat at 8:00) sends one e-mail per person who has
  notifications waiting for it, and nothing to anyone else; each notification is in one digest
  at most, even when two runs overlap (rows locked, then marked);
- a person reads and marks only their own notifications.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from certifications.enums import JuryRole
from core import emails
from juries.enums import SessionStatus
from juries.models import Convocation, Evaluation, JurySession
from juries.permissions import has_validated_all, members_with_declarations, reads_dossier, scoring_members
from juries.queries import assessed_items, rubric_ids
from notifications import events
from notifications.enums import EmailStatus, Frequency
from notifications.models import Notification, NotificationPreference

logger = logging.getLogger(__name__)


def frequency_for(user, event: events.Event) -> str:
    """The person's choice for ``event``, else the event's default."""
    chosen = (
        NotificationPreference.objects.filter(user=user, event=event.key).values_list("frequency", flat=True).first()
    )
    return chosen or event.default


def preferences_of(user) -> dict[str, str]:
    """Every event's frequency for ``user`` (their choice, else the default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("event", "frequency"))
    return {key: chosen.get(key, event.default) for key, event in events.EVENTS.items()}


@transaction.atomic
def set_preferences(user, choices: dict[str, str]) -> None:
    """Save ``user``'s choices (event key → frequency) for the events they may configure."""
    for key, frequency in choices.items():
        event = events.get(key)
        if frequency not in Frequency.values:
            raise ValueError(f"Unknown frequency {frequency!r}")
        if frequency == event.default:
            NotificationPreference.objects.filter(user=user, event=key).delete()
        else:
            NotificationPreference.objects.update_or_create(user=user, event=key, defaults={"frequency": frequency})


def _text(event: events.Event, dossier, context: dict[str, Any]) -> str:
    certification = getattr(dossier, "certification", None) or context.get("certification")
    values = {
        "cert": getattr(certification, "title", ""),
        "state": events.state_phrase(dossier) if dossier is not None else "",
    }
    text = emails.french_typography(str(event.title) % values)
    return text if len(text) <= 300 else text[:299] + "…"


def notify(
    recipients: Iterable[User],
    event: str,
    *,
    dossier=None,
    url: str = "",
    context: dict[str, Any] | None = None,
    once_key: str = "",
) -> list[Notification]:
    """Tell ``recipients`` about ``event``: a notification each, and the e-mail per their
    preference. Returns the notifications created."""
    spec = events.get(event)
    context = dict(context or {})
    if not url and dossier is not None:
        url = dossier.get_absolute_url()
    text = _text(spec, dossier, context)
    seen: set[int] = set()
    created = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if once_key and Notification.objects.filter(recipient=user, event=event, once_key=once_key).exists():
            continue
        notification = Notification.objects.create(
            recipient=user, event=event, dossier=dossier, text=text, url=url, once_key=once_key
        )
        frequency = frequency_for(user, spec) if spec.email else Frequency.NEVER
        if frequency == Frequency.IMMEDIATE:
            _email_now(notification, spec, context)
        elif frequency == Frequency.DAILY:
            notification.email_status = EmailStatus.PENDING
            notification.save(update_fields=["email_status"])
        created.append(notification)
    return created


def _email_now(notification: Notification, event: events.Event, context: dict[str, Any]) -> None:
    user = notification.recipient
    emails.send(
        f"notify_{event.key}",
        user.email,
        {
            **context,
            "recipient": user,
            "notification": notification,
            "dossier": notification.dossier,
            "state": events.state_phrase(notification.dossier) if notification.dossier else "",
            "url": settings.SITE_URL + notification.url,
            "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
        },
    )
    notification.email_status = EmailStatus.SENT
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["email_status", "emailed_at"])


def unread_count(user) -> int:
    return Notification.objects.of(user).unread().count()


def mark_read(user, pk: int) -> Notification:
    """Mark one of ``user``'s notifications read (another's: ``Notification.DoesNotExist``)."""
    notification = Notification.objects.of(user).get(pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user) -> int:
    """Mark all of ``user``'s notifications read; how many were unread."""
    return Notification.objects.of(user).unread().update(read_at=timezone.now())


# --- the daily digest -----------------------------------------------------------------------


def send_daily_digests() -> int:
    """One e-mail per person with notifications waiting for the digest; how many were sent."""
    users = (
        Notification.objects.filter(email_status=EmailStatus.PENDING)
        .values_list("recipient", flat=True)
        .distinct()
        .order_by("recipient")
    )
    return sum(_send_digest(user_id) for user_id in list(users))


@transaction.atomic
def _send_digest(user_id: int) -> bool:
    pending = list(
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(recipient_id=user_id, email_status=EmailStatus.PENDING)
        .select_related("recipient", "dossier")
        .order_by("created_at", "pk")
    )
    if not pending:
        return False
    now = timezone.now()
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
        email_status=EmailStatus.DIGESTED, emailed_at=now
    )
    user = pending[0].recipient
    if not user.is_active:
        return False
    items = [
        {
            "text": n.text,
            "dossier": n.dossier,
            "state": events.state_phrase(n.dossier) if n.dossier else "",
            "url": settings.SITE_URL + n.url,
        }
        for n in pending
    ]
    emails.send(
        "notify_digest",
        user.email,
        {
            "recipient": user,
            "items": items,
            "list_url": settings.SITE_URL + reverse("notifications:list"),
            "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
        },
    )
    logger.info("Daily digest of %s notifications for user %s", len(items), user_id)
    return True


# --- certifier staff --------------------------------------------------------------------------


def certifier_staff(dossier) -> list[User]:
    """The active staff of the certifiers of the dossier's certification."""
    return list(
        User.objects.filter(is_active=True, certifiers__certifications=dossier.certification_id)
        .distinct()
        .order_by("pk")
    )


def staff_dossier_url(dossier) -> str:
    return reverse("backoffice:dossier", args=[dossier.pk])


# --- jurors -----------------------------------------------------------------------------------


def send_jury_reminders(now: dt.datetime | None = None) -> int:
    """Remind each member of a session starting within ``JURY_REMINDER_DAYS`` days who still has
    links to declare or scorings to validate; once per member and session. How many were told."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=settings.JURY_REMINDER_DAYS)
    sessions = (
        JurySession.objects.filter(status=SessionStatus.PLANNED, starts_at__gt=now, starts_at__lte=horizon)
        .select_related("certification")
        .order_by("starts_at")
    )
    told = 0
    for session in sessions:
        told += _remind_session(session)
    return told


@transaction.atomic
def _remind_session(session: JurySession) -> int:
    convocations = list(session.convocations.live().select_related("dossier__certification").order_by("pk"))
    if not convocations:
        return 0
    rubrics = {conv.pk: rubric_ids(assessed_items(conv.dossier)) for conv in convocations}
    told = 0
    for member in members_with_declarations(session).order_by("pk"):
        declarations = {d.convocation_id: d for d in member.declaration_list}  # type: ignore[attr-defined]
        to_declare = sum(1 for conv in convocations if conv.pk not in declarations)
        to_score = 0
        if member.scores:
            to_score = sum(
                1
                for conv in convocations
                if reads_dossier(declarations.get(conv.pk)) and not has_validated_all(member, conv, rubrics[conv.pk])
            )
            # a candidate not declared yet is to score too, unless a link is then declared
            to_score += to_declare
        if not to_declare and not to_score:
            continue
        told += len(
            notify(
                [member.user],
                events.JURY_REMINDER.key,
                url=reverse("jury:session", args=[session.pk]),
                context={
                    "session": session,
                    "certification": session.certification,
                    "member": member,
                    "to_declare": to_declare,
                    "to_score": to_score,
                },
                once_key=f"session-{session.pk}",
            )
        )
    return told


def scorings_validated(evaluation: Evaluation) -> list[Notification]:
    """When ``evaluation`` was the last scoring to validate for its candidate (every scoring member,
    every grille), tell the président (unless they validated it themselves), once per candidate."""
    conv = Convocation.objects.select_related("session__certification", "dossier__certification").get(
        pk=evaluation.convocation_id
    )
    session = conv.session
    ids = rubric_ids(assessed_items(conv.dossier))
    scorers = scoring_members(conv, members_with_declarations(session))
    if not scorers or not all(has_validated_all(m, conv, ids) for m in scorers):
        return []
    president = session.members.select_related("user").filter(role=JuryRole.PRESIDENT).first()
    if president is None or president.pk == evaluation.member_id:
        return []
    return notify(
        [president.user],
        events.JURY_SCORINGS_VALIDATED.key,
        url=reverse("jury:candidate", args=[conv.pk]),
        context={"session": session, "certification": session.certification, "convocation": conv},
        once_key=f"convocation-{conv.pk}",
    )
