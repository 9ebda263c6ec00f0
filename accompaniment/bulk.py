"""The large demo data set's accompaniments (``seed_demo --candidates N``): about a third of the
dossiers are accompanied by an organisation that accompanies their certification, accepted a few
days after the candidate asked, with meetings and comments on compétences; a dossier still being
written has the organisation's opinion on the parcours, waiting for the candidate's acceptance.
Rows through ``core.bulk`` (no services: the data is made, not lived); see
``vae_portal.bulk_demo``."""

from __future__ import annotations

import datetime as dt
import random

from accompaniment.enums import AccompanimentState, MeetingKind, MeetingMode, Verdict
from accompaniment.models import Accompaniment, Comment, Meeting, Opinion, Organisation
from core.bulk import Table, TableGroup
from dossiers.bulk import BuiltDossier
from dossiers.enums import DossierStatus

SHARE = 0.35
TOPICS = [
    "Premier entretien : le parcours et les blocs visés",
    "Choisir les situations de travail à décrire",
    "Relecture des récits du premier bloc",
    "Les preuves à rassembler",
    "Préparer l'entretien avec le jury",
]
COMMENTS = [
    "Précisez le contexte : la taille de l'équipe, le public, vos marges de manœuvre.",
    "Décrivez une situation précise plutôt qu'une généralité : ce que vous avez fait, et pourquoi.",
    "Une preuve illustrerait bien ce passage : un compte rendu, un planning, un courriel.",
    "Dites ce que vous feriez autrement aujourd'hui : le jury attend ce recul.",
]


def accompagnateurs() -> dict[int, list[tuple[int, int]]]:
    """For each certification, the (organisation, one of its active staff) pairs that may
    accompany its candidates, read once."""
    pairs: dict[int, list[tuple[int, int]]] = {}
    organisations = Organisation.objects.filter(active=True).prefetch_related("certifications", "staff").order_by("pk")
    for organisation in organisations:
        staff = sorted(m.user_id for m in organisation.staff.all() if m.active)
        if staff:
            for certification in organisation.certifications.all():
                pairs.setdefault(certification.pk, []).append((organisation.pk, staff[0]))
    return pairs


class AccompanimentTables(TableGroup):
    """The tables a batch of generated accompaniments fills, parents first."""

    def __init__(self, now: dt.datetime):
        self.now = now
        self.accompaniment = Table(Accompaniment, now)
        self.meeting = Table(Meeting, now)
        self.comment = Table(Comment, now)
        self.opinion = Table(Opinion, now)

    def tables(self) -> list[Table]:
        return [self.accompaniment, self.meeting, self.comment, self.opinion]


def build_accompaniment(
    tables: AccompanimentTables,
    rng: random.Random,
    dossier: BuiltDossier,
    started_at: dt.datetime,
    pairs: dict[int, list[tuple[int, int]]],
) -> tuple[int, int] | None:
    """An accepted accompaniment of ``dossier`` for about a third of them (where an organisation
    accompanies its certification): its (organisation, staff member), or None."""
    choices = pairs.get(dossier.plan.id)
    if not choices or rng.random() >= SHARE:
        return None
    organisation_id, staff_id = choices[rng.randrange(len(choices))]
    requested_at = started_at + dt.timedelta(days=rng.randint(1, 10))
    decided_at = requested_at + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(1, 8))
    end = min(dossier.last_at, tables.now) if dossier.last_at > decided_at else tables.now
    accompaniment_id = tables.accompaniment.add(
        dossier_id=dossier.id,
        organisation_id=organisation_id,
        state=AccompanimentState.ACCEPTED,
        requested_at=requested_at,
        decided_at=decided_at,
        decided_by_id=staff_id,
    )
    span = max((end - decided_at).total_seconds(), 3600)
    for n in range(rng.randint(1, 4)):
        tables.meeting.add(
            accompaniment_id=accompaniment_id,
            starts_at=decided_at + dt.timedelta(seconds=span * (n + 1) / 5),
            duration_minutes=rng.choice([45, 60, 90, 120]),
            kind=MeetingKind.INDIVIDUAL if n or rng.random() < 0.7 else MeetingKind.COLLECTIVE,
            mode=rng.choice([MeetingMode.ON_SITE, MeetingMode.REMOTE]),
            topic=TOPICS[n % len(TOPICS)],
            recorded_by_id=staff_id,
        )
    competencies = [c["id"] for b in dossier.blocks for c in b.competencies]
    for competency_id in rng.sample(competencies, min(len(competencies), rng.randint(0, 3))):
        tables.comment.add(
            accompaniment_id=accompaniment_id,
            author_id=staff_id,
            competency_id=competency_id,
            text=rng.choice(COMMENTS),
            created_at=decided_at + dt.timedelta(seconds=span * rng.uniform(0.2, 0.9)),
            done_at=None if rng.random() < 0.5 else end,
        )
    if dossier.status == DossierStatus.DRAFT:
        # The opinion on the parcours, given before the request leaves (the candidate has yet to
        # accept it: the accompanied request then freezes it).
        tables.opinion.add(
            accompaniment_id=accompaniment_id,
            verdict=rng.choice([Verdict.FAVORABLE, Verdict.FAVORABLE, Verdict.RESERVED]),
            comment="Une expérience solide sur les blocs visés ; les récits sont à étoffer d'exemples.",
            individual_hours=rng.choice([6, 10, 12, 20]),
            collective_hours=rng.choice([0, 4, 8]),
            given_by_id=staff_id,
            given_at=decided_at + dt.timedelta(days=2),
        )
    return organisation_id, staff_id
