"""Two tabs and twenty parallel clients autosaving the same dossier (gunicorn on PostgreSQL):
no acknowledged write is lost, and every save from a stale page is reported as a conflict.

The run lasts ``VAE_AUTOSAVE_SECONDS`` (12 s by default, to keep CI short; the issue's full
minute: ``VAE_AUTOSAVE_SECONDS=60``, or ``bench/load.py --contention``).
"""

from __future__ import annotations

import os

import pytest

from dossiers.enums import DossierStatus as S
from dossiers.models import CompetencyStatement
from tests.candidates import Browser, Ledger, Writer, lost_writes, run_writers, session_for
from tests.factories import dossier_in_state, make_certification
from tests.faults.conftest import require_postgresql

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

SECONDS = float(os.environ.get("VAE_AUTOSAVE_SECONDS", "12"))


def test_two_tabs_and_twenty_clients_autosaving_one_dossier_lose_nothing_and_report_every_conflict(portal):
    require_postgresql()
    dossier = dossier_in_state(S.ADMISSIBLE, certification=make_certification(published=True, competencies=3))
    statements = list(dossier.statements.order_by("pk"))[:3]
    server = portal(workers=3, threads=4)

    # Two tabs of one browser (one session), on the same compétence…
    shared = session_for(dossier.candidate)
    first = statements[0]
    tab = lambda n: Browser(server.base_url, shared)  # noqa: E731
    writers = [Writer(f"onglet {n}", tab(n), dossier.pk, first.competency_id, first.pk, first.version) for n in (1, 2)]
    # …and twenty more clients (sessions of their own): ten on that compétence, ten on two others.
    for n in range(20):
        statement = first if n < 10 else statements[1 + n % 2]
        browser = Browser(server.base_url, session_for(dossier.candidate))
        writers.append(
            Writer(f"client {n + 1}", browser, dossier.pk, statement.competency_id, statement.pk, statement.version)
        )
    initial = {s.pk: s.version for s in statements}
    ledger = Ledger()

    run_writers(writers, SECONDS, ledger)

    final = {s.pk: (s.version, s.narrative) for s in CompetencyStatement.objects.filter(pk__in=initial)}
    assert ledger.errors == []
    assert lost_writes(ledger, initial, final) == []
    saves = sum(len(v) for v in ledger.saves.values())
    conflicts = sum(len(v) for v in ledger.conflicts.values())
    assert saves >= 20 and conflicts >= 20, (saves, conflicts)  # both happened, many times
    assert all(ledger.saves[s.pk] for s in statements)
    print(f"\n{SECONDS:.0f} s: {saves} saves, {conflicts} conflicts reported, 0 lost")
