"""The autosave's hot path: a fixed, small number of SQL statements, whatever the dossier holds
(session and user; one query that reads the statement within the candidate's own dossiers and
locks it with its dossier; the update; the audit coalescing's read and write; the sliding
session's write once a minute)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers import services
from dossiers.enums import DossierStatus as S
from tests.factories import dossier_in_state, make_certification, pdf_upload

pytestmark = pytest.mark.django_db
MAX_STATEMENTS = 6  # not counting BEGIN / COMMIT / savepoints (issue 21)


@pytest.fixture(autouse=True)
def _session_refreshed_once_a_minute(settings):
    """As in use: the sliding session is written at most once a minute, not on each autosave of
    the minute (the second save measured here comes right after the first)."""
    settings.SESSION_REFRESH_SECONDS = 60


def statements(queries) -> list[str]:
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
    return [q["sql"] for q in queries.captured_queries if not q["sql"].upper().startswith(control)]


def autosave_statements(client, proofs: int) -> tuple[list[str], dict]:
    dossier = dossier_in_state(S.ADMISSIBLE, certification=make_certification(published=True, competencies=3))
    statement = dossier.statements.first()
    for i in range(proofs):
        statement.proofs.add(services.add_proof(dossier, pdf_upload(f"p{i}.pdf"), title=f"Preuve {i}", kind="other"))
    client.force_login(dossier.candidate)
    url = reverse("dossiers:statement_save", args=[dossier.pk, statement.competency_id])
    version = 0
    for text in ["Première version du récit.", "Une situation de travail décrite en détail. " * 8]:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {"version": version, "narrative": text}, HTTP_X_AUTOSAVE="1")
        version = response.json()["version"]
    return statements(queries), response.json()


def test_an_autosave_needs_few_queries_whatever_the_statement_draws_on(client):
    few, answer = autosave_statements(client, proofs=0)
    many, answer_with_proofs = autosave_statements(client, proofs=5)

    assert len(few) <= MAX_STATEMENTS, "\n".join(few)
    assert len(many) == len(few)
    assert (answer["status"], answer["version"]) == ("saved", 2)
    # The state counts what the statement draws on, read with its lock.
    assert answer["state"] == "in_progress" and answer_with_proofs["state"] != answer["state"]
