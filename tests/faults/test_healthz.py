"""/healthz, for a load balancer: database, broker and worker heartbeat, as JSON."""

import os
import socket
import time
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from vae_portal.celery import app as celery_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def heartbeat(settings, tmp_path):
    """A worker's heartbeat file, just touched."""
    path = tmp_path / "worker-heartbeat"
    path.write_text("1234\n")
    settings.WORKER_HEARTBEAT_FILE = str(path)
    return path


@pytest.fixture
def broker_url():
    """Point the Celery app (what /healthz checks) elsewhere for one test."""
    saved = celery_app.conf.broker_url, celery_app.conf.broker_transport_options

    def point(url, options=None):
        celery_app.conf.broker_url = url
        celery_app.conf.broker_transport_options = options or {}

    yield point
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options = saved


TOKEN = "jeton-de-supervision-assez-long"


@pytest.fixture
def monitor(settings):
    """The header of a monitor that holds HEALTHZ_TOKEN: it reads every check's details."""
    settings.HEALTHZ_TOKEN = TOKEN
    return {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_all_is_well_answers_200_with_each_check(client, heartbeat, monitor, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(reverse("healthz"), **monitor)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "worker"}
    assert all(check["ok"] for check in body["checks"].values())
    assert 0 <= body["checks"]["worker"]["heartbeat_age_s"] <= 5


def test_it_is_public_and_read_only(client, heartbeat):
    assert client.get(reverse("healthz")).status_code == 200  # anonymous, no redirect to login
    assert client.post(reverse("healthz")).status_code == 405


def test_a_database_that_fails_answers_503_without_saying_why(client, heartbeat, monitor):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("password authentication failed")):
        response = client.get(reverse("healthz"), **monitor)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"ok": False, "error": "unreachable", "ms": mock.ANY}
    assert "password" not in response.content.decode()


def test_an_unreachable_redis_answers_503_within_its_short_timeout(client, heartbeat, broker_url, monitor):
    broker_url(f"redis://127.0.0.1:{free_port()}/0")

    started = time.monotonic()
    response = client.get(reverse("healthz"), **monitor)

    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
    assert "127.0.0.1" not in response.content.decode()


def test_a_filesystem_broker_without_its_folders_answers_503(client, heartbeat, broker_url, tmp_path, monitor):
    broker_url("filesystem://", {"data_folder_in": str(tmp_path / "nowhere"), "data_folder_out": str(tmp_path)})

    response = client.get(reverse("healthz"), **monitor)

    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


@pytest.mark.parametrize("age", [None, 10_000], ids=["no heartbeat at all", "a stale heartbeat"])
def test_a_worker_without_a_fresh_heartbeat_answers_503(age, client, heartbeat, settings, monitor):
    if age is None:
        heartbeat.unlink()
    else:
        os.utime(heartbeat, (time.time() - age, time.time() - age))

    response = client.get(reverse("healthz"), **monitor)

    assert response.status_code == 503
    worker = response.json()["checks"]["worker"]
    assert worker["ok"] is False
    assert worker["error"] == ("no heartbeat" if age is None else "stale")
    assert str(heartbeat) not in response.content.decode()


def test_a_load_balancer_may_ask_for_the_database_only(client, settings, tmp_path, monitor):
    settings.WORKER_HEARTBEAT_FILE = str(tmp_path / "missing")

    response = client.get(reverse("healthz"), {"checks": "database"}, **monitor)

    assert response.status_code == 200
    assert set(response.json()["checks"]) == {"database"}
    assert client.get(reverse("healthz"), {"checks": "database,nope"}).status_code == 400


def test_it_says_nothing_personal_nor_where_things_are(client, heartbeat, settings):
    from tests.factories import UserFactory

    user = UserFactory(email="marie.curie@example.org", is_staff=True)
    client.force_login(user)

    text = client.get(reverse("healthz")).content.decode()

    for secret in (user.email, str(connection.settings_dict["NAME"]), str(settings.DATA_DIR), "redis://"):
        assert secret not in text


# --- who reads the details ------------------------------------------------------------------


def test_the_public_reads_only_ok_or_fail_and_the_code(client, heartbeat, settings):
    settings.HEALTHZ_TOKEN = TOKEN

    ok = client.get(reverse("healthz"))
    heartbeat.unlink()
    failing = client.get(reverse("healthz"))

    assert (ok.status_code, ok.json()) == (200, {"status": "ok"})
    assert (failing.status_code, failing.json()) == (503, {"status": "fail"})


@pytest.mark.parametrize(
    "credentials",
    [{"HTTP_AUTHORIZATION": "Bearer pas-le-bon"}, {"HTTP_AUTHORIZATION": "Bearer "}, {"data": {"token": "x"}}],
    ids=["wrong token", "empty token", "wrong token in the query"],
)
def test_a_wrong_token_reads_only_the_status(client, heartbeat, settings, credentials):
    settings.HEALTHZ_TOKEN = TOKEN

    response = client.get(reverse("healthz"), **credentials)

    assert response.json() == {"status": "ok"}


def test_without_a_token_configured_an_empty_one_reads_only_the_status(client, heartbeat, settings):
    settings.HEALTHZ_TOKEN = ""

    assert client.get(reverse("healthz"), {"token": ""}, HTTP_AUTHORIZATION="Bearer ").json() == {"status": "ok"}


def test_the_token_may_come_in_the_header_or_the_query(client, heartbeat, monitor):
    by_header = client.get(reverse("healthz"), **monitor).json()
    by_query = client.get(reverse("healthz"), {"token": TOKEN}).json()

    assert set(by_header["checks"]) == set(by_query["checks"]) == {"database", "broker", "worker"}
    assert all("ms" in check for check in by_query["checks"].values())


@pytest.mark.parametrize(("is_staff", "sees"), [(True, True), (False, False)], ids=["staff", "a candidate"])
def test_a_staff_member_logged_in_reads_the_details(client, heartbeat, is_staff, sees):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=is_staff))

    assert ("checks" in client.get(reverse("healthz")).json()) is sees
