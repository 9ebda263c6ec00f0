"""An accompanied candidate, in real Chromium: the candidate chooses an organisation, the
accompagnateur accepts and comments, the candidate revises and marks the comment done, the
accompagnateur gives a favorable opinion, the candidate sends the request, the certifier reads
the opinion with it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dossiers.enums import DossierStatus as S
from tests.accompaniment.helpers import make_organisation, staff_of
from tests.factories import PASSWORD, UserFactory, certifier_of, dossier_in_state, fill_feasibility, make_certification

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def _log_out(page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()


def test_an_accompanied_candidate_sends_a_request_the_certifier_reads_with_the_opinion(page):
    certification = make_certification(published=True, title="Médiateur social", code="RNCP45678")
    certifier = certifier_of(certification, email="certif@mediation.example")
    organisation = make_organisation(certification, name="Cap Avenir", postcode="35000", city="Rennes")
    staff_of(organisation, email="aap@capavenir.example", first_name="Jeanne", last_name="Lefèvre")
    candidate = UserFactory(email="nina@example.org", first_name="Nina", last_name="Lopez")
    dossier = dossier_in_state(S.DRAFT, candidate=candidate, certification=certification)
    fill_feasibility(dossier)
    competency = dossier.targeted_competencies().first()

    # The candidate chooses an organisation of their département.
    _log_in(page, candidate.email)
    page.goto(reverse("dossiers:detail", args=[dossier.pk]))
    page.get_by_role("link", name="Gérer mon accompagnement").click()
    page.get_by_label("Département (numéro)").fill("35")
    page.get_by_role("button", name="Filtrer").click()
    page.locator(f"#organisme-{organisation.pk}").get_by_role("button", name="Choisir cet organisme").click()
    expect(page.get_by_role("alert")).to_contain_text("Demande envoyée à Cap Avenir")
    expect(page.get_by_role("heading", name="Votre demande est en attente")).to_be_visible()
    _log_out(page)

    # The accompagnateur accepts, reads the draft and comments a compétence.
    _log_in(page, "aap@capavenir.example")
    page.get_by_role("link", name="Mes accompagnements").click()
    page.get_by_role("button", name="Accepter").click()
    expect(page.get_by_role("alert")).to_contain_text("Accompagnement accepté")
    page.get_by_role("link", name="Nina Lopez").click()
    card = page.locator(f"#competence-{competency.pk}")
    card.get_by_label("Ajouter un commentaire").fill("Justifiez votre positionnement par une situation précise.")
    card.get_by_role("button", name="Commenter").click()
    expect(page.get_by_role("alert")).to_contain_text("Commentaire ajouté")
    _log_out(page)

    # The candidate reads it beside their positioning, revises, marks it done; the request
    # waits for the opinion.
    _log_in(page, candidate.email)
    page.goto(reverse("dossiers:positioning", args=[dossier.pk]))
    expect(page.get_by_text("Justifiez votre positionnement par une situation précise.")).to_be_visible()
    form = page.locator(f"#competency-{competency.pk}")
    form.locator("textarea[name=self_comment]").fill("J'ai conduit la médiation du quartier Maurepas en 2023.")
    form.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(f"#competency-{competency.pk} [data-autosave-status]")).to_contain_text("Enregistré")
    page.get_by_role("button", name="Marquer comme traité").click()
    expect(page.get_by_role("alert")).to_contain_text("Commentaire marqué comme traité.")
    expect(page.get_by_role("button", name="Marquer comme à traiter")).to_be_visible()
    page.goto(reverse("dossiers:request_feasibility", args=[dossier.pk]))
    expect(
        page.get_by_text("Votre organisme d'accompagnement (Cap Avenir) doit d'abord donner son avis")
    ).to_be_visible()
    _log_out(page)

    # The accompagnateur gives a favorable opinion with the planned parcours.
    _log_in(page, "aap@capavenir.example")
    page.goto(reverse("accompaniment:opinion", args=[dossier.pk]))
    page.get_by_label("favorable", exact=True).check()
    page.get_by_label("Commentaire").fill("Expérience de médiation en lien direct avec le référentiel.")
    page.get_by_label("Heures d'accompagnement individuel prévues").fill("12")
    page.get_by_role("button", name="Enregistrer l'avis").click()
    expect(page.get_by_role("alert")).to_contain_text("Avis enregistré")
    _log_out(page)

    # The candidate reads the opinion, accepts the parcours and sends the request.
    _log_in(page, candidate.email)
    page.goto(reverse("accompaniment:candidate", args=[dossier.pk]))
    expect(page.get_by_text("Expérience de médiation en lien direct avec le référentiel.")).to_be_visible()
    page.get_by_role("button", name="J'accepte ce parcours").click()
    page.goto(reverse("dossiers:request_feasibility", args=[dossier.pk]))
    page.get_by_role("button", name="Demander la recevabilité").click()
    expect(page.get_by_text("Votre demande de recevabilité est transmise")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED
    _log_out(page)

    # The certifier reads the opinion with the request.
    _log_in(page, certifier.email)
    page.goto(reverse("backoffice:dossier", args=[dossier.pk]))
    panel = page.locator("#accompagnement")
    expect(panel).to_contain_text("Dossier accompagné par Cap Avenir")
    expect(panel.locator("#accompaniment-verdict")).to_have_text("Favorable")
    expect(panel).to_contain_text("Expérience de médiation en lien direct avec le référentiel.")
    expect(panel).not_to_contain_text("Justifiez votre positionnement")
