"""The candidate's "Ajouter à mon agenda" file: one iCalendar event (RFC 5545) per convocation,
written by the ``icalendar`` library.

Rules:
- the event's UID is stable for a convocation (``convocation-<id>@<site host>``): a calendar that
  imported it once updates the same event when the candidate imports a newer file;
- SEQUENCE is the convocation's ``sequence``, raised by each rescheduling and by the
  cancellation, so that a newer file wins over an older one;
- a cancelled convocation gives STATUS:CANCELLED (the calendar removes or strikes the event);
- times are written in UTC (``…Z``): no time zone table to ship, and every calendar shows them in
  its own zone;
- a reminder (VALARM) the day before, in the file: the candidate's calendar rings, whatever the
  portal's e-mails.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from juries.models import Convocation


def uid(convocation: Convocation) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "vae-portal"
    return f"convocation-{convocation.pk}@{host}"


def convocation_ics(convocation: Convocation) -> bytes:
    """The iCalendar file of ``convocation`` (its session and certification loaded)."""
    session, certification = convocation.session, convocation.session.certification
    cancelled = not convocation.is_live
    calendar = Calendar()
    calendar.add("prodid", "-//Portail VAE//Convocations au jury//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")

    event = Event()
    event.add("uid", uid(convocation))
    event.add("sequence", convocation.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("last-modified", convocation.updated_at.astimezone(dt.UTC))
    event.add("dtstart", convocation.starts_at.astimezone(dt.UTC))
    event.add("dtend", convocation.ends_at.astimezone(dt.UTC))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    summary = _("Jury VAE — %(certification)s") % {"certification": certification.code or certification.title[:60]}
    event.add("summary", _("Annulé : %(summary)s") % {"summary": summary} if cancelled else summary)
    event.add("location", session.place or session.video_link)
    if session.video_link:
        event.add("url", session.video_link)
    lines = [certification.title]
    if cancelled and convocation.notice:
        lines.append(_("Convocation annulée : %(notice)s") % {"notice": convocation.notice})
    elif convocation.notice:
        lines.append(_("Créneau modifié : %(notice)s") % {"notice": convocation.notice})
    if session.video_link:
        lines.append(_("Visioconférence : %(link)s") % {"link": session.video_link})
    if session.instructions:
        lines.append(session.instructions)
    lines.append(_("Votre convocation : %(url)s") % {"url": settings.SITE_URL + convocation.dossier.get_absolute_url()})
    event.add("description", "\n\n".join(lines))
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", dt.timedelta(days=-1))
        event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical()
