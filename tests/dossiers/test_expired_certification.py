"""A certification past its RNCP registration end takes no new candidate."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier
from tests.factories import UserFactory, make_certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def expired():
    return make_certification(
        published=True, code="RNCP11111", end_of_registration=timezone.localdate() - dt.timedelta(days=1)
    )


def test_the_catalogue_shows_an_expired_certification_as_such(client, expired):
    page = client.get(reverse("certifications:catalogue")).content.decode()

    assert "enregistrement expiré" in page


def test_the_page_of_an_expired_certification_offers_no_start(client, expired):
    page = client.get(expired.get_absolute_url()).content.decode()

    assert "enregistrement expiré" in page
    assert "n’est plus ouverte aux nouvelles candidatures" in page
    assert reverse("dossiers:start", args=[expired.slug]) not in page


def test_a_candidate_cannot_start_a_dossier_on_an_expired_certification(client, expired):
    client.force_login(UserFactory())

    response = client.post(reverse("dossiers:start", args=[expired.slug]), {"scope": "all"})

    assert "n&#x27;est plus ouverte aux nouvelles candidatures en VAE" in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_certification_registered_until_today_is_still_open(client):
    cert = make_certification(published=True, end_of_registration=timezone.localdate())

    page = client.get(cert.get_absolute_url()).content.decode()

    assert reverse("dossiers:start", args=[cert.slug]) in page
    assert "enregistrement expiré" not in page


def test_the_service_refuses_a_dossier_on_an_expired_certification_whichever_way_it_is_asked(expired):
    from dossiers import services
    from dossiers.services import DossierError

    with pytest.raises(DossierError, match="n'est plus ouverte aux nouvelles candidatures"):
        services.start_dossier(UserFactory(), expired)

    assert not Dossier.objects.exists()
