"""A new candidate, from sign-up to a submitted dossier de validation, in real Chromium."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dossiers import services
from dossiers.enums import DossierStatus as S
from dossiers.models import Dossier
from tests.accounts.conftest import link_path
from tests.factories import MINIMAL_PDF, NARRATIVE, PASSWORD, UserFactory, fill_feasibility_sections

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "nouvelle.candidate@example.org"
CERTIFICATION_SLUG = "rncp35203-coordinateur-projets-alternatifs-solidaires"
BLOCK = "RNCP35203BC01"


def _sign_up(page, mailoutbox) -> None:
    page.goto("/")
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Prénom").fill("Nina")
    page.get_by_label(re.compile(r"^\s*Nom\W*$")).fill("Perrin")
    page.get_by_label(re.compile(r"^\s*Mot de passe\W*$")).fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre adresse e-mail")
    page.goto(link_path(mailoutbox[-1]))
    expect(page.get_by_text("Votre adresse e-mail est confirmée.")).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def _saved(scope):
    expect(scope.locator("[data-autosave-status]")).to_contain_text("Enregistré à")


def test_a_new_candidate_goes_from_sign_up_to_a_submitted_dossier(page, mailoutbox, reference_certifications):
    # RNCP35203's registration ended on 20 January 2026 (its fiche): this journey is not about
    # expiry (tests/dossiers/test_expired_certification.py is), so it is taken as still open.
    reference_certifications.filter(code="RNCP35203").update(end_of_registration=None)
    _sign_up(page, mailoutbox)

    # Start a VAE on RNCP35203, bloc BC01 only.
    page.goto(reverse("certifications:detail", args=[CERTIFICATION_SLUG]))
    page.get_by_role("link", name="Démarrer ma VAE").click()
    page.get_by_label("Certains blocs de compétences").check()
    page.get_by_label(re.compile(BLOCK)).check()
    page.get_by_role("button", name="Ouvrir mon dossier").click()
    expect(page.get_by_text("Votre dossier est ouvert")).to_be_visible()
    dossier = Dossier.objects.get(candidate__email=EMAIL)
    assert [b.code for b in dossier.targeted_blocks()] == [BLOCK]

    # An experience.
    page.get_by_role("link", name="Expériences", exact=True).first.click()
    page.get_by_label("Nature").select_option(label="salarié")
    page.get_by_label("Structure").fill("Collectif Terre d'Accueil")
    page.get_by_label("Fonction ou poste").fill("Chargée de projets solidaires")
    page.get_by_label("Début").fill("2019-09-01")
    page.get_by_label("Heures par semaine").fill("35")
    page.get_by_label("Activités exercées").fill("Diagnostic de territoire, montage de projets, animation de réseau.")
    page.get_by_role("button", name="Ajouter l'expérience").click()
    expect(page.locator("#total-duration")).to_contain_text("Durée totale")

    # Self-positioning on each of the 7 compétences, saved as soon as a choice is made.
    page.get_by_role("link", name="Positionnement").click()
    forms = page.locator("form[data-autosave]")
    expect(forms).to_have_count(7)
    for i in range(7):
        forms.nth(i).get_by_label("oui", exact=True).check()
        _saved(forms.nth(i))

    # The other sections of the dossier de faisabilité (walked in the browser by
    # test_feasibility_journey), then the sworn statement, identity document and the request.
    fill_feasibility_sections(dossier)
    page.get_by_role("link", name="Vue d'ensemble", exact=True).click()
    page.get_by_label(re.compile("J'atteste sur l'honneur")).check()
    page.get_by_role("button", name="Enregistrer l'attestation").click()
    page.locator("#id_document").set_input_files(
        files=[{"name": "carte-identite.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    page.locator("#identite").get_by_role("button", name="Déposer").click()
    expect(page.get_by_text("Pièce d'identité déposée.")).to_be_visible()
    page.get_by_role("link", name="Demander la recevabilité").click()
    page.get_by_role("button", name="Demander la recevabilité").click()
    expect(page.get_by_text("Votre demande de recevabilité est transmise")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED

    # The certifier finds it admissible (their pages come with another issue).
    services.decide_feasibility(dossier, UserFactory(admin=True), S.ADMISSIBLE)

    # A PDF proof in the library.
    page.goto(reverse("dossiers:proofs", args=[dossier.pk]))
    page.get_by_label("Titre").fill("Diagnostic territorial")
    page.get_by_label("Nature").select_option(label="production")
    page.locator("input[name=file]").set_input_files(
        files=[{"name": "diagnostic.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    page.get_by_role("button", name="Déposer la preuve").click()
    expect(page.get_by_text("Preuve « Diagnostic territorial » ajoutée.")).to_be_visible()

    # The 7 narratives, each linked to the proof and the experience.
    statements = list(dossier.statements.order_by("competency__order"))
    page.goto(reverse("dossiers:competency", args=[dossier.pk, statements[0].competency_id]))
    for i in range(7):
        form = page.locator("form[data-autosave]")
        narrative = page.locator("textarea[name=narrative]")
        text = f"Situation {i + 1}. {NARRATIVE}"
        if i == 0:
            # Typed key by key and never "saved" by hand: autosave alone keeps it.
            narrative.press_sequentially(text)
            _saved(form)
        else:
            narrative.fill(text)
        form.get_by_label("Diagnostic territorial").check()
        form.get_by_label(re.compile("Chargée de projets solidaires")).check()
        if i > 0:
            form.get_by_role("button", name="Enregistrer").click()
        _saved(form)
        expect(form.locator("[data-autosave-state]")).to_have_text("complète")
        if i < 6:
            page.get_by_role("link", name="Suivante →", exact=True).click()
    for statement in statements:
        statement.refresh_from_db()
        assert statement.narrative.startswith("Situation") and statement.proofs.count() == 1

    # Submit, then read exactly what was submitted.
    page.get_by_role("link", name="Déposer", exact=True).click()
    page.get_by_role("button", name="Déposer mon dossier de validation").click()
    expect(page.get_by_role("heading", name="Dossier de validation n°1")).to_be_visible()
    expect(page.get_by_text("Situation 7.")).to_be_visible()
    expect(page.get_by_role("link", name="Diagnostic territorial").first).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == S.VALIDATION_SUBMITTED
    snapshot = dossier.snapshots.get(kind="validation")
    assert all(c["narrative"].startswith("Situation") for b in snapshot.content["blocks"] for c in b["competencies"])
