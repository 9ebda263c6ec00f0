"""The dossier's thread, in real headless Chromium: the candidate writes to the certifier, who
answers and asks for a correction in the same message; the candidate reads it, corrects and
sends the request again."""

import pytest
from playwright.sync_api import expect

from dossiers.enums import DossierStatus as S
from tests.factories import MINIMAL_PDF, PASSWORD, UserFactory, certifier_of, dossier_in_state, make_certification

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_candidate_and_certifier_talk_and_a_correction_reopens_the_request(browser, live_server, tmp_path):
    cert = make_certification(published=True, title="Médiateur social", code="RNCP45678")
    certifier = certifier_of(cert, email="certif@mediation.example", first_name="Alice", last_name="Martin")
    certifier.set_password(PASSWORD)
    certifier.save()
    candidate = UserFactory(email="nina@example.org", first_name="Nina", last_name="Lopez")
    candidate.set_password(PASSWORD)
    candidate.save()
    dossier = dossier_in_state(
        S.FEASIBILITY_SUBMITTED, candidate=candidate, certification=cert, certifier_user=certifier
    )
    attachment = tmp_path / "courrier.pdf"
    attachment.write_bytes(MINIMAL_PDF)
    contexts = [browser.new_context(base_url=live_server.url, locale="fr-FR") for _ in range(2)]
    nina, alice = (c.new_page() for c in contexts)

    # The candidate writes from her dossier's « Messages » tab, with a file.
    log_in(nina, candidate.email)
    nina.goto(dossier.get_absolute_url())
    nina.get_by_role("link", name="Messages").click()
    nina.get_by_label("Votre message").fill("Bonjour, mon attestation employeur arrive la semaine prochaine.")
    nina.get_by_label("Pièces jointes").set_input_files(str(attachment))
    nina.get_by_role("button", name="Envoyer").click()
    expect(nina.get_by_role("alert")).to_contain_text("Votre message est envoyé au certificateur.")
    expect(nina.locator("#thread")).to_contain_text("courrier.pdf")
    expect(nina.locator("#thread")).to_contain_text("Pas encore lu")

    # The certifier's home says a message waits; the dossier page shows it.
    log_in(alice, certifier.email)
    alice.get_by_role("link", name="1 message de candidat non lu").click()
    messages = alice.locator("#messages")
    expect(messages).to_contain_text("mon attestation employeur arrive")
    alice.get_by_label("Votre message").fill("Merci. Ajoutez aussi la page 2 de votre pièce d'identité.")
    alice.get_by_label("Demander une correction").check()
    alice.get_by_role("button", name="Envoyer au candidat").click()
    expect(alice.get_by_role("alert")).to_contain_text("Correction demandée")
    expect(alice.locator("#dossier-status")).to_have_text("Recevabilité à compléter")

    # The candidate sees the answer on her home page, reads it (the certifier sees « Lu le »).
    nina.goto("/")
    nina.get_by_role("link", name="1 nouveau message du certificateur").click()
    expect(nina.locator("#thread")).to_contain_text("Ajoutez aussi la page 2")
    expect(nina.locator("#thread")).to_contain_text("correction demandée")
    expect(nina.locator("#thread")).to_contain_text("Lu le")
    alice.reload()
    expect(alice.locator("#messages")).to_contain_text("par Nina Lopez")

    # She replaces her identity document and sends the request again.
    nina.get_by_role("link", name="Vue d'ensemble").click()
    nina.set_input_files("#id_document", str(attachment))
    nina.locator("form", has=nina.locator("#id_document")).get_by_role("button", name="Déposer").click()
    nina.get_by_role("link", name="Demander la recevabilité").click()
    nina.get_by_role("button", name="Demander la recevabilité").click()
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED
    alice.reload()
    expect(alice.locator("#dossier-status")).to_have_text("Recevabilité demandée")
    for context in contexts:
        context.close()
