"""What the home pages read of the threads and annotations: counts in one query each."""

from __future__ import annotations

from django.db.models import Count, Min, OuterRef, QuerySet

from core.subqueries import count_of
from messaging.models import Annotation, Message, MessageRead, Side


def unread_for_candidate(user):
    """An expression for a dossier queryset: the certifier's and accompagnateur's messages
    ``user`` has not read."""
    unread = (
        Message.objects.filter(dossier=OuterRef("pk"))
        .exclude(side=Side.CANDIDATE)
        .exclude(pk__in=MessageRead.objects.filter(reader=user).values("message"))
    )
    return count_of(unread, "dossier")


def _count_and_oldest(rows: QuerySet) -> dict:
    """How many rows, and the oldest one's date and dossier (two queries)."""
    counted = rows.aggregate(n=Count("pk"), oldest=Min("created_at"))
    first = rows.order_by("created_at", "pk").values("dossier_id").first()
    return {**counted, "dossier_id": first["dossier_id"] if first else None}


def waiting_for_staff(dossiers: QuerySet, user) -> dict:
    """Over ``dossiers`` (the certifier's): candidates' and accompagnateurs' messages ``user`` has not read and the
    annotations still to handle before a decision, each with its oldest date and dossier."""
    unread = (
        Message.objects.filter(dossier__in=dossiers)
        .exclude(side=Side.CERTIFIER)
        .exclude(pk__in=MessageRead.objects.filter(reader=user).values("message"))
    )
    return {
        "messages": _count_and_oldest(unread),
        "annotations": _count_and_oldest(Annotation.objects.blocking().filter(dossier__in=dossiers)),
    }
