"""The events a person can be notified of: one ``Event`` each, registered by key.

An event says what the in-portal notification reads (``title``, formatted with ``cert``, the
certification's title, and ``state``, the dossier's state), its e-mail's templates
(``emails/notify_<key>_subject.txt`` and ``_body.txt``), who may choose how often they are
e-mailed about it (``audience``: ``"staff"`` for the certifiers' staff, ``"all"`` for everyone;
empty: nobody, ``default`` applies) and that default. ``email=False``: in-portal only, because
another app sends the e-mail that says it (the candidate's dossier transitions: ``dossiers``;
the convocation and the result: ``juries``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from notifications.enums import Frequency


@dataclass(frozen=True)
class Event:
    key: str
    label: Promise | str
    title: Promise | str
    default: str = Frequency.IMMEDIATE
    audience: str = ""
    email: bool = True


EVENTS: dict[str, Event] = {}


def register(event: Event) -> Event:
    """Add (or replace: ``ready`` may run again in tests) an event."""
    EVENTS[event.key] = event
    return event


def get(key: str) -> Event:
    try:
        return EVENTS[key]
    except KeyError:
        raise ValueError(f"Unknown notification event {key!r}") from None


def configurable_for(is_staff: bool) -> list[Event]:
    """The events whose frequency this person chooses on their preferences page."""
    return [e for e in EVENTS.values() if e.audience == "all" or (e.audience == "staff" and is_staff)]


FEASIBILITY_SUBMITTED = register(
    Event(
        "feasibility_submitted",
        _("Nouvelle demande de recevabilité"),
        _("Nouvelle demande de recevabilité — %(cert)s"),
        default=Frequency.DAILY,
        audience="staff",
    )
)
VALIDATION_SUBMITTED = register(
    Event(
        "validation_submitted",
        _("Dossier de validation déposé"),
        _("Dossier de validation déposé — %(cert)s"),
        default=Frequency.DAILY,
        audience="staff",
    )
)
MESSAGE = register(
    Event(
        "message",
        _("Message d'un candidat"),
        _("Nouveau message d'un candidat — %(cert)s"),
        default=Frequency.DAILY,
        audience="staff",
    )
)
MESSAGE_REPLY = register(
    Event(
        "message_reply",
        _("Message du certificateur sur votre dossier"),
        _("Nouveau message du certificateur — %(cert)s"),
        default=Frequency.IMMEDIATE,
        audience="all",
    )
)
MESSAGE_ACCOMPAGNATEUR = register(
    Event(
        "message_accompagnateur",
        _("Message de l'accompagnateur d'un dossier"),
        _("Nouveau message de l'accompagnateur — %(cert)s"),
        default=Frequency.IMMEDIATE,
        audience="all",
    )
)
# To the staff of the organisation that accompanies a dossier: a message of its candidate or of
# the certifier in the dossier's thread (not configurable on the preferences page, which offers
# the candidates' and certifiers' events: the default applies).
MESSAGE_ACCOMPANIED = register(
    Event(
        "message_accompanied",
        _("Message sur un dossier que vous accompagnez"),
        _("Nouveau message sur un dossier que vous accompagnez — %(cert)s"),
        default=Frequency.IMMEDIATE,
    )
)
DOSSIER_TRANSITION = register(
    Event(
        "dossier_transition",
        _("Changement d'état de votre dossier"),
        _("Votre dossier « %(cert)s » est maintenant « %(state)s »"),
        email=False,
    )
)
CONVOCATION = register(
    Event(
        "convocation",
        _("Convocation au jury"),
        _("Convocation au jury — %(cert)s : la date, le lieu et la convocation à imprimer"),
        email=False,
    )
)
JURY_RESULT = register(
    Event(
        "jury_result",
        _("Résultat du jury"),
        _("Le résultat de votre jury est disponible — %(cert)s"),
        email=False,
    )
)
JURY_REMINDER = register(
    Event(
        "jury_reminder",
        _("Rappel avant une session de jury"),
        _("Session de jury bientôt — %(cert)s : déclarez vos liens et notez"),
    )
)
JURY_SCORINGS_VALIDATED = register(
    Event(
        "jury_scorings_validated",
        _("Toutes les notations d'un candidat sont validées"),
        _("Toutes les notations sont validées — %(cert)s : la délibération peut commencer"),
    )
)


# The dossier's state as a notification or an e-mail says it: plain French, no colon (a sentence
# has one at most) and no "(e)". A state missing here reads as its label.
STATE_PHRASES = {
    "draft": _("brouillon"),
    "feasibility_submitted": _("demande de recevabilité en cours d'examen"),
    "feasibility_incomplete": _("demande de recevabilité à compléter"),
    "inadmissible": _("demande non recevable"),
    "admissible": _("recevable, dossier de validation à rédiger"),
    "validation_submitted": _("dossier de validation déposé, en cours de vérification"),
    "validation_incomplete": _("dossier de validation à compléter"),
    "ready_for_jury": _("dossier complet, en attente d'une session de jury"),
    "scheduled": _("convocation devant le jury"),
    "decided": _("décision du jury rendue"),
    "withdrawn": _("dossier abandonné"),
}


def state_phrase(dossier) -> str:
    return str(STATE_PHRASES.get(dossier.status, dossier.get_status_display()))
