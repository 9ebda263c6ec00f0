"""A signed-in person's session lives on while they work, written at most once a minute."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from dossiers.enums import DossierStatus as S
from tests.factories import UserFactory, dossier_in_state
from vae_portal.middleware import SlidingSessionMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _refresh_once_a_minute(settings):
    settings.SESSION_REFRESH_SECONDS = 60  # as in use (the tests' settings write every time)


def stored_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def age_the_last_refresh(client, seconds: int):
    session = client.session
    session[SlidingSessionMiddleware.KEY] = session.get(SlidingSessionMiddleware.KEY, 0) - seconds
    session.save()


def test_a_request_after_the_refresh_interval_pushes_the_expiry_back(client, settings):
    client.force_login(UserFactory())
    client.get(reverse("home"))
    first = stored_expiry(client)
    age_the_last_refresh(client, settings.SESSION_REFRESH_SECONDS + 1)

    client.get(reverse("home"))

    assert stored_expiry(client) > first


def test_requests_within_the_interval_do_not_write_the_session_again(client, django_assert_num_queries):
    dossier = dossier_in_state(S.ADMISSIBLE)
    client.force_login(dossier.candidate)
    client.get(dossier.get_absolute_url())  # the refresh of this minute
    first = stored_expiry(client)
    url = reverse("dossiers:statement_save", args=[dossier.pk, dossier.statements.first().competency_id])

    response = client.post(url, {"version": 0, "narrative": "Un début de récit."}, HTTP_X_AUTOSAVE="1")

    assert response.status_code == 200
    assert stored_expiry(client) == first


def test_an_anonymous_visit_creates_no_session():
    from django.test import Client

    anonymous = Client()
    anonymous.get(reverse("certifications:catalogue"))

    assert Session.objects.count() == 0


def test_the_page_warns_before_the_earliest_moment_the_session_may_end(client, settings):
    settings.SESSION_COOKIE_AGE, settings.SESSION_REFRESH_SECONDS = 3600, 60
    client.force_login(UserFactory())

    page = client.get(reverse("home")).content.decode()

    assert 'data-session-seconds="3540"' in page
