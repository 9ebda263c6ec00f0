"""The large demo data set: ``seed_demo --candidates N [--seed S]``.

N candidates (realistic French names, the demo password), one dossier each, spread over every
state and every published certification, built by ``dossiers.bulk``; the scheduled and decided
ones sit in jury sessions built by ``juries.bulk`` (scorings, decisions, signed procès-verbaux);
about a third are accompanied (``accompaniment.bulk``) and many carry a thread of messages with
their certifier (``messaging.bulk``).
Written by batches of ``BATCH`` candidates, each in one transaction, through COPY on PostgreSQL.

Idempotent per seed: candidate ``i`` of seed ``S`` is ``prenom.nom.i@sS.vae-demo.fr`` and is made
from a random generator seeded by (S, i); a second run with the same N finds them and adds
nothing, a run with a larger N adds the missing ones.
"""

from __future__ import annotations

import datetime as dt
import queue
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accompaniment import bulk as accompaniment_bulk
from accounts.demo import DEMO_PASSWORD
from certifications.models import Certifier
from core.bulk import Rows, Table
from documents import bulk as documents_bulk
from documents.models import GeneratedDocument
from dossiers import bulk as dossiers_bulk
from dossiers.enums import DossierStatus
from juries import bulk as juries_bulk
from messaging import bulk as messaging_bulk

BATCH = 2_000
JURORS = 60
S = DossierStatus
# How a year of dossiers is spread (weights): many drafts, a steady flow through each stage.
STATE_WEIGHTS = {
    S.DRAFT: 20,
    S.FEASIBILITY_SUBMITTED: 8,
    S.FEASIBILITY_INCOMPLETE: 4,
    S.INADMISSIBLE: 4,
    S.ADMISSIBLE: 18,
    S.VALIDATION_SUBMITTED: 7,
    S.VALIDATION_INCOMPLETE: 4,
    S.READY_FOR_JURY: 6,
    S.SCHEDULED: 6,
    S.DECIDED: 18,
    S.WITHDRAWN: 5,
}
FIRST_NAMES = [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Sarah",
    "Jade",
    "Louise",
    "Emma",
    "Lina",
    "Zoé",
    "Nadia",
    "Aïcha",
    "Fatou",
    "Hélène",
    "Josiane",
    "Brigitte",
    "Nathalie",
    "Sandrine",
    "Véronique",
    "Lucas",
    "Hugo",
    "Théo",
    "Nathan",
    "Mathis",
    "Karim",
    "Mehdi",
    "Youssef",
    "Mamadou",
    "Jérôme",
    "Stéphane",
    "François",
    "Benoît",
    "Rémi",
    "Loïc",
    "Gaëtan",
    "Noël",
    "Amélie",
    "Céline",
    "Agnès",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèbvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Diallo",
    "Traoré",
    "N'Diaye",
    "Benali",
    "Nguyen",
    "Kowalski",
    "Da Silva",
    "Le Gall",
    "Hoarau",
]


@dataclass
class Result:
    created: int
    existing: int
    dossiers: int
    seconds: float


def _ascii(text: str) -> str:
    table = str.maketrans("éèêëàâäîïôöùûüçÉÈÎÏ' ", "eeeeaaaiioouuucEEII--")
    return text.translate(table).lower()


def candidate_domain(seed: int) -> str:
    return f"s{seed}.vae-demo.fr"


def seed(candidates: int, seed: int = 1, log: Callable[[str], None] = lambda line: None) -> Result:
    started = time.monotonic()
    user_model = get_user_model()
    domain = candidate_domain(seed)
    existing = user_model.objects.filter(email__endswith="@" + domain).count()
    plans = dossiers_bulk.certification_plans()
    if not plans or existing >= candidates:
        return Result(0, existing, 0, time.monotonic() - started)
    rubrics = juries_bulk.rubric_plans()
    reviewers = _reviewers()
    accompagnateurs = accompaniment_bulk.accompagnateurs()
    password = make_password(DEMO_PASSWORD)
    now = timezone.now()
    users = Table(user_model, now)
    jurors = _jurors(users, seed, password, now)
    tables = dossiers_bulk.DossierTables(now)
    jury = juries_bulk.JuryTables(now)
    documents = Table(GeneratedDocument, now)
    accompaniments = accompaniment_bulk.AccompanimentTables(now)
    messages = messaging_bulk.MessageTables(now)
    states = list(STATE_WEIGHTS)
    weights = list(STATE_WEIGHTS.values())
    made = 0
    writer = Writer(jury, now, log, started)
    try:
        for batch_start in range(existing, candidates, BATCH):
            batch_end = min(candidates, batch_start + BATCH)
            built = []
            for i in range(batch_start, batch_end):
                rng = random.Random(seed * 1_000_003 + i)
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                email = f"{_ascii(first)}.{_ascii(last)}.{i}@{domain}"
                status = rng.choices(states, weights)[0]
                plan = plans[rng.randrange(len(plans))]
                # Old enough for its path: about a month per step, up to two years.
                steps = len(dossiers_bulk.PATHS[status])
                started_at = now - dt.timedelta(days=rng.randint(30 * steps + 1, 30 * steps + 400))
                user_id = users.add(
                    password=password,
                    first_name=first,
                    last_name=last,
                    email=email,
                    is_active=True,
                    date_joined=started_at - dt.timedelta(days=1),
                    last_login=now - dt.timedelta(days=rng.randint(0, 60)),
                )
                built.append(
                    dossier := dossiers_bulk.build_dossier(
                        tables,
                        rng,
                        candidate_id=user_id,
                        candidate_name=f"{first} {last}",
                        candidate_email=email,
                        plan=plan,
                        status=status,
                        started_at=started_at,
                        reviewer_id=reviewers.get(plan.id),
                    )
                )
                documents_bulk.build_documents(documents, dossier)
                accompanied = accompaniment_bulk.build_accompaniment(
                    accompaniments, rng, dossier, started_at, accompagnateurs
                )
                messaging_bulk.build_messages(
                    messages, rng, dossier, certifier_id=reviewers.get(plan.id), accompaniment=accompanied
                )
            juries_bulk.build_sessions(
                jury,
                random.Random(f"{seed}-{batch_start}"),
                built,
                jurors=jurors,
                certifier_id=next(iter(reviewers.values()), None),
                rubrics=rubrics,
                now=now,
            )
            jury_rows, closed = jury.take()
            writer.put(
                [users.take(), *tables.take(), documents.take(), *accompaniments.take(), *messages.take(), *jury_rows],
                closed,
                f"{batch_end} / {candidates} candidats",
            )
            made += batch_end - batch_start
    finally:
        writer.close()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:  # VACUUM refuses a transaction
        # Fresh statistics for the planner (and the visibility map for index-only scans).
        with connection.cursor() as cursor:
            for table in [
                users,
                *tables.tables(),
                documents,
                *accompaniments.tables(),
                *messages.tables(),
                *jury.all_tables(),
            ]:
                cursor.execute(f'VACUUM ANALYZE "{table.table}"')
    return Result(made, existing, made, time.monotonic() - started)


class Writer:
    """Writes each batch in its own transaction; on PostgreSQL from a second thread (and
    connection), so that the database loads one batch while Python builds the next. Not when the
    caller is inside a transaction (a test): a second connection would not see what it has not
    committed (the certifications, the accounts), so the batches are written in its own."""

    def __init__(self, jury: juries_bulk.JuryTables, now: dt.datetime, log: Callable[[str], None], started: float):
        self.jury, self.now, self.log, self.started = jury, now, log, started
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.queue: queue.Queue = queue.Queue(maxsize=1)
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()

    def put(self, rows: list[Rows], closed, label: str) -> None:
        if self.thread is None:
            self._write(rows, closed, label)
            return
        if self.error is not None:
            raise self.error
        self.queue.put((rows, closed, label))

    def _write(self, rows: list[Rows], closed, label: str) -> None:
        with transaction.atomic():
            for batch in rows:
                batch.write()
            self.jury.sign_minutes(closed, self.now)
        self.log(f"{label} ({time.monotonic() - self.started:.0f} s)")

    def _run(self) -> None:
        try:
            while (item := self.queue.get()) is not None:
                if self.error is None:
                    try:
                        self._write(*item)
                    except BaseException as error:  # re-raised in the main thread
                        self.error = error
        finally:
            connection.close()

    def close(self) -> None:
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error


def _reviewers() -> dict[int, int]:
    """A certifier staff member for each certification (who decides in the transition log)."""
    reviewers: dict[int, int] = {}
    for certifier in Certifier.objects.prefetch_related("staff", "certifications"):
        staff = sorted(u.pk for u in certifier.staff.all())
        if staff:
            for cert in certifier.certifications.all():
                reviewers.setdefault(cert.pk, staff[0])
    return reviewers


def _jurors(users: Table, seed: int, password: str, now: dt.datetime) -> list[int]:
    """The seed's pool of jury members (made once, found again on the next run)."""
    user_model = get_user_model()
    domain = f"jury.{candidate_domain(seed)}"
    found = list(user_model.objects.filter(email__endswith="@" + domain).order_by("pk").values_list("pk", flat=True))
    if found:
        return found
    rng = random.Random(seed)
    with transaction.atomic():
        ids = [
            users.add(
                password=password,
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                email=f"jure{k}@{domain}",
                is_active=True,
                date_joined=now,
            )
            for k in range(1, JURORS + 1)
        ]
        users.flush()
    return ids
