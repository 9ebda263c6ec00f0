"""Programming, editing and cancelling a jury session.

Rules:
- a session is programmed on a published certification, in the future, at a place or on a
  video link, for ``capacity`` candidates at most (at least one);
- its date cannot move while candidates are convoked (reschedule or cancel them first), nor
  into the past; its capacity never drops below the candidates convoked;
- cancelling it needs a notice, given to every convoked candidate: each convocation is cancelled
  and each dossier returns to "en attente de jury" (``convocations.cancel_convocation``);
- its place, video link or instructions may change with candidates convoked: their convocation
  PDFs are rendered again (``convocation_issued``);
- only a programmed session changes (``locking.ensure_open``).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certifications.enums import CertificationStatus
from certifications.models import Certification
from juries.enums import SessionStatus
from juries.models import Convocation, JurySession
from juries.services.convocations import cancel_convocation
from juries.services.errors import JuryError
from juries.services.locking import ensure_open, locked_session
from juries.signals import convocation_issued

if TYPE_CHECKING:
    from accounts.models import User

SESSION_FIELDS = ("starts_at", "place", "video_link", "capacity", "instructions", "notes")
CONVOCATION_FIELDS = {"place", "video_link", "instructions"}  # what a convocation prints of its session


def _check_place(place: str, video_link: str) -> None:
    if not place.strip() and not video_link.strip():
        raise JuryError(_("Indiquez un lieu ou un lien de visioconférence."))


@transaction.atomic
def create_session(
    certification: Certification,
    actor: User,
    *,
    starts_at: dt.datetime,
    capacity: int,
    place: str = "",
    video_link: str = "",
    instructions: str = "",
    notes: str = "",
) -> JurySession:
    if certification.status != CertificationStatus.PUBLISHED:
        raise JuryError(_("Une session se programme sur la version publiée d'une certification."))
    if starts_at <= timezone.now():
        raise JuryError(_("La date de la session est passée : choisissez une date à venir."))
    if capacity < 1:
        raise JuryError(_("La session doit pouvoir accueillir au moins un candidat."))
    _check_place(place, video_link)
    return JurySession.objects.create(
        certification=certification,
        starts_at=starts_at,
        capacity=capacity,
        place=place.strip(),
        video_link=video_link.strip(),
        instructions=instructions,
        notes=notes,
        created_by=actor,
    )


@transaction.atomic
def update_session(session: JurySession, actor: User, **values: Any) -> JurySession:
    session = locked_session(session.pk)
    ensure_open(session)
    unknown = set(values) - set(SESSION_FIELDS)
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    live = session.convocations.live().count()
    if "starts_at" in values and values["starts_at"] != session.starts_at:
        if live:
            raise JuryError(
                _(
                    "Des candidats sont convoqués : reportez ou annulez leurs convocations avant de changer "
                    "la date de la session."
                )
            )
        if values["starts_at"] <= timezone.now():
            raise JuryError(_("La date de la session est passée : choisissez une date à venir."))
    if "capacity" in values and values["capacity"] < max(live, 1):
        raise JuryError(
            ngettext(
                "%(n)s convocation est en cours : la capacité ne peut pas descendre en dessous.",
                "%(n)s convocations sont en cours : la capacité ne peut pas descendre en dessous.",
                live,
            )
            % {"n": live}
        )
    changed = {name for name, value in values.items() if getattr(session, name) != value}
    for name, value in values.items():
        setattr(session, name, value)
    _check_place(session.place, session.video_link)
    session.save(update_fields=[*values, "updated_at"])
    if changed & CONVOCATION_FIELDS:
        # What the convocations print changed: their PDFs are rendered again.
        for pk in session.convocations.live().values_list("pk", flat=True):
            transaction.on_commit(partial(convocation_issued.send, sender=Convocation, convocation_id=pk))
    return session


@transaction.atomic
def cancel_session(session: JurySession, actor: User, notice: str) -> JurySession:
    """Cancel the session and every live convocation, each dossier back to "en attente de jury"."""
    if not notice.strip():
        raise JuryError(_("Indiquez le motif de l'annulation : il sera communiqué aux candidats."))
    session = locked_session(session.pk)
    ensure_open(session)
    for convocation in session.convocations.live():
        cancel_convocation(convocation, actor, notice)
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    return session
