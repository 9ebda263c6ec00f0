"""What the RNCP says of a registration — its decision, its length, the date of the jury's
composition — is kept, shown to everyone and edited by the certifier."""

import datetime as dt

import pytest
from django.urls import reverse

from certifications import services
from certifications.models import Certification
from certifications.rncp.importer import import_flux
from tests.certifications import rncp_samples as samples
from tests.factories import UserFactory, make_certification

pytestmark = pytest.mark.django_db


def test_the_fixture_carries_the_decision_of_001_and_the_jury_composition_date_of_003(reference_certifications):
    aptim = Certification.objects.get(code="RNCP35203")
    ircom = Certification.objects.get(code="RNCP41296")

    assert (aptim.rncp_decision_date, aptim.registration_years) == (dt.date(2021, 1, 20), 5)
    assert aptim.jury_composition_date is None  # its fiche gives no date ("-")
    assert ircom.jury_composition_date == dt.date(2025, 9, 25)
    assert ircom.rncp_decision_date is None and ircom.registration_years is None  # its text gives no decision


def _read(client, cert) -> str:
    """The page as a person reads it: non-breaking spaces are spaces."""
    return client.get(cert.get_absolute_url()).content.decode().replace("\xa0", " ").replace("&nbsp;", " ")


def test_the_public_page_says_the_decision_the_length_and_the_jury_composition_date(client, reference_certifications):
    aptim = _read(client, Certification.objects.get(code="RNCP35203"))
    ircom = _read(client, Certification.objects.get(code="RNCP41296"))

    assert "20 janvier 2021" in aptim and "5 ans" in aptim
    assert "25 septembre 2025" in ircom
    assert "Décision d&#x27;enregistrement" not in ircom


def test_a_registration_that_is_not_whole_years_long_shows_no_rounded_length():
    cert = Certification(rncp_decision_date=dt.date(2021, 1, 20), end_of_registration=dt.date(2026, 3, 1))

    assert cert.registration_years is None


def test_a_one_year_registration_reads_in_the_singular(client):
    cert = make_certification(
        published=True, rncp_decision_date=dt.date(2099, 1, 1), end_of_registration=dt.date(2100, 1, 1)
    )

    assert "1 an<" in _read(client, cert)


def test_the_rncp_import_stores_the_decision_date(tmp_path):
    import_flux(samples.write(tmp_path, samples.flux(samples.rncp35203())))

    cert = Certification.objects.get(code="RNCP35203")
    assert (cert.rncp_decision_date, cert.registration_years) == (dt.date(2021, 1, 20), 5)


def test_a_new_version_keeps_the_dates(reference_certifications):
    ircom = Certification.objects.get(code="RNCP41296")

    draft = services.new_version(ircom)

    assert draft.jury_composition_date == dt.date(2025, 9, 25)


def test_the_certifier_edits_the_decision_and_the_jury_composition_dates(client):
    cert = make_certification()
    staff = UserFactory()
    cert.certifiers.first().staff.add(staff)
    client.force_login(staff)
    url = reverse("backoffice:referential_identity", args=[cert.pk])
    form = {
        "code": cert.code,
        "title": cert.title,
        "level": cert.level or 6,
        "min_narrative_length": cert.min_narrative_length,
        "end_of_registration": "2030-06-01",
        "rncp_decision_date": "2025-06-01",
        "jury_composition_date": "2025-09-25",
    }

    assert 'name="jury_composition_date"' in client.get(url).content.decode()
    response = client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    cert.refresh_from_db()
    assert (cert.rncp_decision_date, cert.registration_years, cert.jury_composition_date) == (
        dt.date(2025, 6, 1),
        5,
        dt.date(2025, 9, 25),
    )


def test_a_decision_after_the_end_of_registration_is_refused(client):
    cert = make_certification()
    staff = UserFactory()
    cert.certifiers.first().staff.add(staff)
    client.force_login(staff)
    url = reverse("backoffice:referential_identity", args=[cert.pk])

    response = client.post(
        url,
        {
            "code": cert.code,
            "title": cert.title,
            "level": 6,
            "min_narrative_length": 300,
            "end_of_registration": "2025-06-01",
            "rncp_decision_date": "2026-06-01",
        },
    )

    assert response.status_code == 200
    assert "La décision d&#x27;enregistrement précède la fin" in response.content.decode()
