import datetime as dt

import pytest

from accrochage import flux as flux_builder
from accrochage import services
from accrochage.tasks import build_flux
from tests.credentials.conftest import award

IDENTITY = {
    "birth_name": "Girard",
    "usage_name": "",
    "first_name1": "Pauline",
    "first_name2": "Marie",
    "first_name3": "",
    "sex": "F",
    "birth_date": dt.date(1985, 4, 12),
    "born_in_france": True,
    "birth_insee_code": "35288",
    "birth_postcode": "",
    "birth_city": "Saint-Malo",
    "birth_country_code": "FRA",
}


@pytest.fixture(autouse=True)
def _flux_built_at_once(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(build_flux, "delay", lambda flux_id: flux_builder.build(flux_id))
    settings.CDC_KIT_DIR = tmp_path / "cdc-kit"


@pytest.fixture
def holder(db, django_capture_on_commit_callbacks):
    """A candidate who obtained the whole certification (procès-verbal final), identity given;
    their organisation has its CDC identifiers."""
    awarded = award(django_capture_on_commit_callbacks)
    services.save_identity(awarded.convocation.dossier, IDENTITY, awarded.candidate)
    org = awarded.certification.certifiers.get()
    services.save_account(org, "03ABC123", "MCFCER000123", awarded.certifier)
    awarded.organisation = org
    return awarded


def jury_day(awarded) -> dt.date:
    from django.utils import timezone

    return timezone.localdate(awarded.session.starts_at)


def build(awarded, django_capture_on_commit_callbacks, action="CREATION"):
    day = jury_day(awarded)
    with django_capture_on_commit_callbacks(execute=True):
        flux = services.request_flux(awarded.organisation, day, day, awarded.certifier, action)
    flux.refresh_from_db()
    return flux
