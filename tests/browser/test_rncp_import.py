import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from certifications.models import Certification, Certifier, RncpUpload
from certifications.rncp import uploads
from tests.certifications import rncp_samples as samples
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def eager_celery():
    """The worker's job runs as soon as it is published (no worker in this test)."""
    from vae_portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _log_in(page, email: str, next_url: str) -> None:
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_a_certifier_uploads_the_flux_compares_their_fiche_and_confirms_a_draft(
    page, reference_certifications, tmp_path, eager_celery
):
    # Staff of IRCOM: the draft opens in their back office's referential editor.
    user = UserFactory(email="certificateur@ircom.example")
    Certifier.objects.get(siret=samples.IRCOM["siret"]).staff.add(user)
    flux = samples.write_zip(tmp_path, samples.flux(samples.rncp35203(), samples.rncp41296()))

    page.goto("/accounts/login/?next=/certifier/rncp/")
    page.get_by_label("Adresse e-mail").fill("certificateur@ircom.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Importer une certification depuis le RNCP")
    page.get_by_label("Flux RNCP de France Compétences").set_input_files(str(flux))
    page.get_by_role("button", name="Déposer et lire le fichier").click()
    expect(page.get_by_text("Fichier déposé : 2 fiches lues (flux 4.1).")).to_be_visible()

    page.get_by_label("Rechercher une fiche").fill("RNCP41296")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Aperçu").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Manager en organisation de solidarité")
    expect(page.get_by_text("Version actuelle (v1, publiée)")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("RNCP41296BC03"))).to_be_visible()
    page.get_by_role("button", name="Confirmer : créer le brouillon").click()

    expect(page.get_by_text(re.compile("Brouillon RNCP41296 v2 créé"))).to_be_visible()
    draft = Certification.objects.get(code="RNCP41296", version=2)
    assert page.url.endswith(f"/certificateur/referentiels/{draft.pk}/")
    expect(page.locator("#status")).to_contain_text("version 2 · brouillon")
    assert draft.status == "draft"


def test_the_file_page_waits_for_the_worker_and_shows_the_fiches_once_read(page, reference_certifications):
    user = UserFactory(email="certificateur@ircom.example")
    ircom = Certifier.objects.get(siret=samples.IRCOM["siret"])
    ircom.staff.add(user)
    # Uploaded, its job not yet run by a worker.
    upload = RncpUpload.objects.create(
        file=ContentFile(samples.flux(samples.rncp41296()).encode(), name="flux.xml"),
        original_name="flux.xml",
        uploaded_by=user,
        kept_sirets=[ircom.siret],
    )
    upload.organisations.add(ircom)

    _log_in(page, "certificateur@ircom.example", f"/certifier/rncp/{upload.pk}/")

    expect(page.get_by_text("Lecture du fichier en attente…")).to_be_visible()
    uploads.run(upload.pk)  # the worker reads it; the page, polling, reloads by itself
    expect(page.get_by_role("link", name="Aperçu")).to_be_visible()
    expect(page.get_by_text("Manager en organisation de solidarité")).to_be_visible()
