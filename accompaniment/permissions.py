"""Who sees and does what in the accompaniment app.

Rules (default-deny):
- an accompagnateur is an active ``StaffMember`` of an active account; a manager
  (``is_manager``) adds and deactivates colleagues of their organisation; an admin manages every
  organisation;
- an accompagnateur reads a dossier only while their organisation accompanies it: from the
  organisation's acceptance to the end of the accompaniment (``accompanies``: they comment,
  give the opinion, record meetings), then read-only for ``ACCOMPANIMENT_READ_DAYS_AFTER_END``
  days (``reads``), then nothing; a request not accepted yet shows the candidate's name and
  certification only; another organisation's dossiers never;
- they read what the candidate sees, drafts included, and the proofs as the candidate sees them
  (``accompaniment.files``), never the jury's scorings nor the certifier's notes;
- the candidate chooses, changes or leaves the organisation of their own dossier and marks the
  comments as done; nobody else does.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accompaniment.enums import FINISHED_STATES, AccompanimentState
from accompaniment.models import Accompaniment, Organisation, StaffMember
from dossiers.models import Dossier


def memberships(user) -> QuerySet[StaffMember]:
    """The active memberships of ``user`` (none for an anonymous visitor or an inactive account)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return StaffMember.objects.none()
    return StaffMember.objects.filter(user=user, active=True).select_related("organisation")


def is_accompagnateur(user) -> bool:
    return memberships(user).exists()


def organisation_ids(user) -> list[int]:
    return list(memberships(user).values_list("organisation_id", flat=True))


def managed_organisations(user) -> QuerySet[Organisation]:
    """The organisations ``user`` manages: all of them for an admin."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=memberships(user).filter(is_manager=True).values("organisation_id"))


def _read_window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=settings.ACCOMPANIMENT_READ_DAYS_AFTER_END)


def readable_accompaniments(user) -> QuerySet[Accompaniment]:
    """The accompaniments whose dossier ``user`` may read: accepted, or finished after having
    been accepted within the read-only period."""
    return Accompaniment.objects.filter(organisation_id__in=organisation_ids(user)).filter(
        Q(state=AccompanimentState.ACCEPTED)
        | Q(state__in=FINISHED_STATES, decided_at__isnull=False, finished_at__gte=_read_window_start())
    )


def current_accompaniment(dossier: Dossier) -> Accompaniment | None:
    """The dossier's live accompaniment (requested or accepted), if any."""
    return Accompaniment.objects.live().select_related("organisation").filter(dossier=dossier).first()


def accompanying(dossier: Dossier) -> Accompaniment | None:
    """The dossier's accepted accompaniment, if any: the dossier is then "accompagné"."""
    return (
        Accompaniment.objects.select_related("organisation")
        .filter(dossier=dossier, state=AccompanimentState.ACCEPTED)
        .first()
    )


def accompanies(user, dossier: Dossier) -> bool:
    """Is ``user`` staff of the organisation that accompanies ``dossier`` now (accepted, not
    ended)? They may then comment, give an opinion and record meetings; the message thread asks
    this to let them take part."""
    return readable_accompaniments(user).filter(dossier=dossier, state=AccompanimentState.ACCEPTED).exists()


def reads(user, dossier: Dossier) -> bool:
    """May ``user`` read ``dossier`` as an accompagnateur (during the accompaniment or the
    read-only period after it)?"""
    return readable_accompaniments(user).filter(dossier=dossier).exists()


def accompaniment_for_reader_or_404(user, dossier_pk: int) -> Accompaniment:
    """The accompaniment through which ``user`` reads dossier ``dossier_pk`` (the latest), or 404."""
    found = (
        readable_accompaniments(user)
        .select_related("dossier__certification", "dossier__candidate", "organisation")
        .filter(dossier_id=dossier_pk)
        .order_by("-requested_at")
        .first()
    )
    if found is None:
        raise Http404
    return found


def request_for_staff_or_404(user, pk: int) -> Accompaniment:
    """A request to the user's organisation (to accept or decline), or 404."""
    return get_object_or_404(
        Accompaniment.objects.select_related("dossier__candidate", "dossier__certification", "organisation"),
        pk=pk,
        organisation_id__in=organisation_ids(user),
    )
