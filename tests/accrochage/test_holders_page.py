"""The certifier's list of holders only reads; new holders are looked for on a POST."""

import uuid

from django.urls import reverse

from accrochage.models import Flux, Passage, PassageStatus
from audit.models import AuditEvent


def test_displaying_the_holders_page_creates_nothing(holder, client):
    Passage.objects.all().delete()  # a holder whose passage was never recorded (worker down)
    events, fluxes = AuditEvent.objects.count(), Flux.objects.count()
    client.force_login(holder.certifier)
    for _ in range(2):
        assert client.get(reverse("accrochage:holders")).status_code == 200
    assert Passage.objects.count() == 0
    assert (AuditEvent.objects.count(), Flux.objects.count()) == (events, fluxes)


def test_looking_for_new_holders_records_them_once(holder, client):
    Passage.objects.all().delete()
    client.force_login(holder.certifier)
    url = reverse("accrochage:sync", args=[holder.organisation.pk])
    body = client.post(url, follow=True).content.decode()
    assert "1 nouveau titulaire à déclarer." in body
    assert Passage.objects.get().status == PassageStatus.TO_DECLARE
    body = client.post(url, follow=True).content.decode()
    assert "Aucun nouveau titulaire : la liste était à jour." in body
    assert Passage.objects.count() == 1


def test_only_the_organisations_certifier_may_look_for_its_holders(holder, client):
    from tests.factories import UserFactory, certifier_of
    from tests.juries.helpers import four_level_certification

    Passage.objects.all().delete()
    url = reverse("accrochage:sync", args=[holder.organisation.pk])
    client.force_login(certifier_of(four_level_certification(), email="autre-certif@org.example"))
    assert client.post(url).status_code == 404
    client.force_login(UserFactory(email="candidat@example.org"))
    assert client.post(url).status_code == 403
    client.logout()
    assert client.post(url).status_code == 302
    client.force_login(holder.certifier)
    assert client.get(url).status_code == 405
    assert Passage.objects.count() == 0


def test_the_certifier_imports_the_cdcs_report_on_the_fluxs_page(holder, client, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.accrochage.conftest import build
    from tests.accrochage.test_flux import cdc_report

    flux = build(holder, django_capture_on_commit_callbacks)
    passage = Passage.objects.get()
    client.force_login(holder.certifier)
    url = reverse("accrochage:flux_report", args=[flux.pk])
    refused = cdc_report(flux.id_flux, ok=[uuid.uuid4(), uuid.uuid4()], ko=[(passage.id_technique, ["Nom inconnu"])])
    body = client.post(url, {"report": SimpleUploadedFile("accuse.xml", refused.getvalue())}, follow=True)
    assert "Compte rendu lu : 1 passage refusé, 2 passages inconnus." in body.content.decode()
    passage.refresh_from_db()
    assert (passage.status, passage.cdc_reason) == (PassageStatus.REJECTED, "Nom inconnu")
    accepted = cdc_report(flux.id_flux, ok=[passage.id_technique])
    body = client.post(url, {"report": SimpleUploadedFile("accuse.xml", accepted.getvalue())}, follow=True)
    assert "Compte rendu lu : 1 passage déclaré." in body.content.decode()
    passage.refresh_from_db()
    assert passage.status == PassageStatus.DECLARED
