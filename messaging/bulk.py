"""The large demo data set's messages (``seed_demo --candidates N``): on a dossier the certifier
has read (its recevabilité requested), a short exchange with the candidate — a question, the
answer, and, for about half of them, the certifier's acknowledgement — read by each side but
the last message; the accompanying organisation joins in where there is one. Rows through
``core.bulk``; see ``vae_portal.bulk_demo``."""

from __future__ import annotations

import datetime as dt
import random

from core.bulk import Table, TableGroup
from dossiers.bulk import BuiltDossier
from messaging.models import Message, MessageRead, Side

QUESTIONS = [
    "Bonjour, pouvez-vous préciser les dates de votre expérience la plus récente ?",
    "Bonjour, la pièce d'identité déposée est illisible : pouvez-vous en déposer une nouvelle ?",
    "Bonjour, votre dossier est bien reçu. Avez-vous une attestation de votre employeur ?",
]
ANSWERS = [
    "Bonjour, c'est fait, merci de votre retour.",
    "Bonjour, je vous ai ajouté l'attestation dans les preuves.",
    "Merci, j'ai complété la description de l'expérience.",
]
SHARE = 0.4


class MessageTables(TableGroup):
    def __init__(self, now: dt.datetime):
        self.message = Table(Message, now)
        self.read = Table(MessageRead, now)

    def tables(self) -> list[Table]:
        return [self.message, self.read]


def build_messages(
    tables: MessageTables,
    rng: random.Random,
    dossier: BuiltDossier,
    *,
    certifier_id: int | None,
    accompaniment: tuple[int, int] | None = None,
) -> None:
    """A thread on about 40 % of the dossiers whose recevabilité was requested. ``accompaniment``:
    the accompanying (organisation, staff member), who writes on a thread in three."""
    requested = dossier.snapshots.get("feasibility")
    if requested is None or certifier_id is None or rng.random() >= SHARE:
        return
    at = requested[1] + dt.timedelta(days=rng.randint(1, 20), hours=rng.randint(1, 6))
    thread = [
        (Side.CERTIFIER, certifier_id, None, rng.choice(QUESTIONS)),
        (Side.CANDIDATE, dossier.candidate_id, None, rng.choice(ANSWERS)),
    ]
    if accompaniment is not None and rng.random() < 0.34:
        organisation_id, staff_id = accompaniment
        thread.append((Side.ACCOMPAGNATEUR, staff_id, organisation_id, "Nous avons revu ce point en entretien."))
    if rng.random() < 0.5:
        thread.append((Side.CERTIFIER, certifier_id, None, "Merci, c'est noté."))
    readers = {Side.CANDIDATE: dossier.candidate_id, Side.CERTIFIER: certifier_id}
    for n, (side, author_id, organisation_id, text) in enumerate(thread):
        message_id = tables.message.add(
            dossier_id=dossier.id,
            author_id=author_id,
            side=side,
            organisation_id=organisation_id,
            text=text,
            created_at=at,
        )
        if n < len(thread) - 1:  # the last message waits to be read
            for reader_side, reader_id in readers.items():
                if reader_side != side:
                    tables.read.add(message_id=message_id, reader_id=reader_id, read_at=at + dt.timedelta(hours=2))
        at += dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 5))
