"""The database connection dropped under a running app (gunicorn on PostgreSQL, persistent
connections with CONN_HEALTH_CHECKS): the requests caught in the middle fail cleanly, the next
ones succeed, and no worker is restarted."""

from __future__ import annotations

import threading

import psycopg2
import pytest
from django.db import connection

from dossiers.enums import DossierStatus as S
from tests.candidates import Browser, session_for
from tests.factories import dossier_in_state
from tests.faults.conftest import require_postgresql
from tests.servers import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def admin_connection():
    """A connection of the test's own, outside Django's, to act on the server's backends."""
    settings = connection.settings_dict
    conn = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )
    conn.autocommit = True
    return conn


def app_backends(admin, application_name: str, waiting: bool = False) -> list[int]:
    with admin.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s"
            + (" AND wait_event_type = 'Lock'" if waiting else ""),
            [application_name],
        )
        return [row[0] for row in cursor.fetchall()]


def terminate(admin, pids: list[int]) -> None:
    with admin.cursor() as cursor:
        for pid in pids:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture
def world(db):
    require_postgresql()
    dossier = dossier_in_state(S.ADMISSIBLE)
    statement = dossier.statements.select_related("competency").first()
    return dossier, statement


def test_connections_dropped_between_requests_are_replaced_without_a_single_error(portal, world):
    dossier, _statement = world
    server = portal(workers=2)
    browser = Browser(server.base_url, session_for(dossier.candidate))
    page = f"/dossiers/{dossier.pk}/"
    admin = admin_connection()
    try:
        assert all(browser.get(page).status == 200 for _ in range(10))
        workers = server.worker_pids()
        persistent = app_backends(admin, server.application_name)
        assert persistent  # CONN_MAX_AGE keeps them open between requests

        terminate(admin, persistent)
        wait_for(lambda: not set(app_backends(admin, server.application_name)) & set(persistent), 10, "the kill")

        statuses = [browser.get(page).status for _ in range(10)]
        assert statuses == [200] * 10  # each worker's health check found its connection dead
        assert app_backends(admin, server.application_name)  # connected again
        assert server.worker_pids() == workers  # without a restart
    finally:
        admin.close()


def test_a_request_whose_connection_is_dropped_mid_query_fails_cleanly_and_the_next_one_succeeds(portal, world):
    dossier, statement = world
    server = portal(workers=2)
    browser = Browser(server.base_url, session_for(dossier.candidate))
    admin = admin_connection()
    locker = admin_connection()
    locker.autocommit = False
    try:
        assert browser.get(f"/dossiers/{dossier.pk}/").status == 200
        workers = server.worker_pids()
        # Hold the dossier's row: the autosave waits on it (services.save_statement locks it)…
        with locker.cursor() as cursor:
            cursor.execute("SELECT id FROM dossiers_dossier WHERE id = %s FOR UPDATE", [dossier.pk])
        replies = []
        request = threading.Thread(
            target=lambda: replies.append(
                browser.autosave(dossier.pk, statement.competency_id, statement.version, "Premier récit.")
            )
        )
        request.start()
        # …and its connection is cut while it waits.
        waiting = wait_for(lambda: app_backends(admin, server.application_name, waiting=True), 15, "the wait")
        terminate(admin, waiting)
        request.join(30)
        locker.rollback()

        (failed,) = replies
        assert failed.status == 500
        assert b"Traceback" not in failed.body and b"psycopg2" not in failed.body and b"SELECT" not in failed.body
        statement.refresh_from_db()
        assert statement.narrative == ""  # nothing half-saved

        # The script retries the same save: it goes through, once.
        retried = browser.autosave(dossier.pk, statement.competency_id, statement.version, "Premier récit.")
        assert (retried.status, retried.json().get("status")) == (200, "saved")
        assert retried.json()["version"] == statement.version + 1
        assert all(browser.get(f"/dossiers/{dossier.pk}/").status == 200 for _ in range(6))
        assert server.worker_pids() == workers
        assert "OperationalError" in server.logs()  # the failure is logged for the operators
    finally:
        locker.close()
        admin.close()
