"""Login lockout through the real login form: per account from any address, per address over
any accounts, independently (accounts/lockout.py, settings AXES_*)."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("login")
LOCKED = "Connexion temporairement bloquée"
WRONG = "Adresse e-mail ou mot de passe incorrect."
HOME, OFFICE, CAFE, ELSEWHERE = "198.51.100.1", "198.51.100.2", "203.0.113.3", "203.0.113.4"


@pytest.fixture(autouse=True)
def _lockout_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


def attempt(client, email, password, address):
    return client.post(LOGIN_URL, {"username": email, "password": password}, REMOTE_ADDR=address)


def fail(client, email, address, times=1):
    for _ in range(times):
        response = attempt(client, email, "pas-le-bon", address)
        assert response.status_code in (200, 429)


def is_locked_out(response) -> bool:
    return response.status_code == 429 and LOCKED in response.content.decode()


def test_failures_on_one_account_lock_it_from_another_address(client):
    UserFactory(email="cible@example.org")
    fail(client, "cible@example.org", HOME, times=5)

    response = attempt(client, "cible@example.org", PASSWORD, OFFICE)

    assert is_locked_out(response)
    assert "_auth_user_id" not in client.session


def test_the_account_is_the_same_whatever_the_case_typed(client):
    UserFactory(email="cible@example.org")
    for n, typed in enumerate(["CIBLE@example.org", "Cible@Example.org", " cible@EXAMPLE.ORG", "cible@example.org"]):
        fail(client, typed, f"192.0.2.{n}")
    fail(client, "cible@example.org", HOME)

    assert is_locked_out(attempt(client, "Cible@example.org", PASSWORD, OFFICE))


def test_failures_spread_over_many_accounts_from_one_address_lock_that_address(client):
    for n in range(5):
        fail(client, f"personne{n}@example.org", CAFE)
    UserFactory(email="cliente@example.org")

    assert is_locked_out(attempt(client, "cliente@example.org", PASSWORD, CAFE))
    response = attempt(client, "cliente@example.org", PASSWORD, OFFICE)
    assert response.status_code == 302


def test_a_wrong_password_on_an_unrelated_account_from_an_unrelated_address_is_not_shown_the_lockout_page(client):
    UserFactory(email="cible@example.org")
    fail(client, "cible@example.org", HOME, times=5)
    for n in range(5):
        fail(client, f"personne{n}@example.org", CAFE)
    UserFactory(email="tierce@example.org")

    response = attempt(client, "tierce@example.org", "pas-le-bon", ELSEWHERE)

    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert LOCKED not in response.content.decode()
    assert attempt(client, "tierce@example.org", PASSWORD, ELSEWHERE).status_code == 302


def test_attempts_are_recorded_under_the_account_typed(client):
    fail(client, "Quelqu.Un@Example.org", HOME)

    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [("quelqu.un@example.org", HOME)]


def test_a_success_forgets_the_accounts_failures_from_that_address(client):
    UserFactory(email="distraite@example.org")
    fail(client, "distraite@example.org", HOME, times=4)
    assert attempt(client, "distraite@example.org", PASSWORD, HOME).status_code == 302
    client.post(reverse("logout"))

    fail(client, "distraite@example.org", HOME, times=4)

    assert attempt(client, "distraite@example.org", PASSWORD, HOME).status_code == 302


def test_an_attackers_own_login_does_not_clear_their_failures_on_other_accounts(client):
    UserFactory(email="victime@example.org")
    UserFactory(email="attaquant@example.org")
    fail(client, "victime@example.org", CAFE, times=4)
    assert attempt(client, "attaquant@example.org", PASSWORD, CAFE).status_code == 302
    client.post(reverse("logout"))

    fail(client, "victime@example.org", ELSEWHERE)

    assert is_locked_out(attempt(client, "victime@example.org", PASSWORD, HOME))


def test_the_lock_ends_after_the_cool_off(client, settings):
    UserFactory(email="cible@example.org")
    fail(client, "cible@example.org", HOME, times=5)
    assert is_locked_out(attempt(client, "cible@example.org", PASSWORD, HOME))

    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME)

    assert attempt(client, "cible@example.org", PASSWORD, HOME).status_code == 302
