"""An autonomous candidate fills the whole dossier de faisabilité for RNCP35203 in real Chromium,
section by section, and sends the recevabilité request."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dossiers.enums import DossierStatus as S
from dossiers.models import Dossier
from tests.factories import MINIMAL_PDF, PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

CERTIFICATION_SLUG = "rncp35203-coordinateur-projets-alternatifs-solidaires"


def _log_in(page, email):
    page.goto(reverse("login"))
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def _section(page, dossier, name):
    page.goto(reverse("dossiers:feasibility", args=[dossier.pk]))
    page.locator(f"#section-{name} a").first.click()


def test_an_autonomous_candidate_fills_the_whole_dossier_de_faisabilite(page, reference_certifications):
    candidate = UserFactory(first_name="Inès", last_name="Moreau", email="ines.moreau@example.org", phone="0611223344")
    _log_in(page, candidate.email)
    # RNCP35203's registration ended on 20 January 2026 (its fiche): this journey is not about
    # expiry (tests/dossiers/test_expired_certification.py is), so it is taken as still open.
    reference_certifications.filter(code="RNCP35203").update(end_of_registration=None)

    # The whole certification.
    page.goto(reverse("certifications:detail", args=[CERTIFICATION_SLUG]))
    page.get_by_role("link", name="Démarrer ma VAE").click()
    page.get_by_role("button", name="Ouvrir mon dossier").click()
    expect(page.get_by_text("Votre dossier est ouvert")).to_be_visible()
    dossier = Dossier.objects.get(candidate=candidate)
    assert dossier.targets_all_blocks

    # 1. Nature of the request: a renewal needs the earlier decision's date.
    _section(page, dossier, "nature")
    page.locator("input[name=nature][value=renewal]").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.get_by_text("« Date de la décision de recevabilité antérieure » est obligatoire.", exact=True)
    ).to_be_visible()
    page.locator("input[name=nature][value=first]").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Rubrique « Nature de la demande » enregistrée.")).to_be_visible()

    # 2. and 3. The certification and its blocs are shown; RNCP35203 has no option nor prerequisite.
    _section(page, dossier, "certification")
    expect(page.get_by_text("RNCP35203BC01", exact=False).first).to_be_visible()
    _section(page, dossier, "prerequisites")
    expect(page.get_by_text("Cette certification n'a pas de prérequis réglementaire")).to_be_visible()

    # 4. The candidate: the account's e-mail and telephone are offered; a missing field is named
    # and what was typed stays.
    _section(page, dossier, "candidate")
    expect(page.locator("input[name=email]")).to_have_value(candidate.email)
    expect(page.locator("input[name=phone]")).to_have_value("0611223344")
    page.locator("input[name=first_name1]").fill("Inès")
    page.locator("input[name=first_name2]").fill("Claire")
    page.locator("input[name=sex][value=F]").check()
    page.locator("input[name=birth_date]").fill("1984-06-02")
    page.locator("input[name=nationality]").fill("française")
    page.locator("select[name=training_level]").select_option("5")
    page.locator("select[name=certification_level]").select_option("5")
    page.locator("textarea[name=titles_held]").fill("BTS Économie sociale et familiale")
    page.locator("input[name=street]").fill("9 rue de la Paix")
    page.locator("input[name=postcode]").fill("44000")
    page.locator("input[name=city]").fill("Nantes")
    page.locator("input[name=country]").fill("France")
    page.locator("input[name=status][value=private_employee]").check()
    page.locator("input[name=idcc]").fill("2941")
    page.locator("input[name=objectives][value=progress]").check()
    page.locator("input[name=objectives][value=recognition]").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("« Nom de naissance » est obligatoire.", exact=True)).to_be_visible()
    expect(page.locator("input[name=street]")).to_have_value("9 rue de la Paix")
    page.locator("input[name=birth_name]").fill("Moreau")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Rubrique « Le candidat » enregistrée.")).to_be_visible()

    # 5. An experience, with its working context.
    _section(page, dossier, "experiences")
    page.get_by_label("Nature").select_option(label="salarié")
    page.get_by_label("Structure").fill("Association Tremplin Solidaire")
    page.get_by_label("Fonction ou poste").fill("Coordinatrice de projets")
    page.get_by_label("Début").fill("2018-09-01")
    page.get_by_label("Heures par semaine").fill("35")
    page.locator("textarea[name=activities]").fill("Diagnostic de territoire, montage de projets, animation.")
    page.locator("textarea[name=working_context]").fill("Association d'insertion de 40 salariés en parcours.")
    page.get_by_role("button", name="Ajouter l'expérience").click()
    expect(page.locator("#total-duration")).to_contain_text("Durée totale")

    # 6. Each bloc: OUI / PARTIELLEMENT need a comment.
    _section(page, dossier, "blocks")
    blocks = list(dossier.targeted_blocks())
    assert [b.code for b in blocks] == ["RNCP35203BC01", "RNCP35203BC02", "RNCP35203BC03"]
    page.locator(f"input[name=block-{blocks[0].pk}-activity][value=yes]").check()
    page.locator(f"textarea[name=block-{blocks[0].pk}-comment]").fill("Je conduis les diagnostics depuis 2018.")
    page.locator(f"input[name=block-{blocks[1].pk}-activity][value=partly]").check()
    page.locator(f"input[name=block-{blocks[2].pk}-activity][value=no]").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le commentaire détaillé est obligatoire pour « PARTIELLEMENT ».").first).to_be_visible()
    expect(page.locator(f"textarea[name=block-{blocks[0].pk}-comment]")).to_have_value(
        "Je conduis les diagnostics depuis 2018."
    )
    page.locator(f"textarea[name=block-{blocks[1].pk}-comment]").fill("J'encadre six salariés, sans recruter.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Activités par bloc enregistrées.")).to_be_visible()

    # 7. Documents: the identity document and a CV.
    _section(page, dossier, "documents")
    page.locator("input[name=document]").set_input_files(
        files=[{"name": "carte-identite.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    page.get_by_role("button", name="Déposer la pièce d'identité").click()
    expect(page.get_by_text("Pièce d'identité déposée.")).to_be_visible()
    _section(page, dossier, "documents")
    page.locator("input[name=role][value=other]").check()
    page.locator("input[name=title]").fill("Curriculum vitae")
    page.locator("input[name=file]").set_input_files(
        files=[{"name": "cv.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    page.get_by_role("button", name="Déposer la pièce", exact=True).click()
    expect(page.get_by_text("Pièce déposée.")).to_be_visible()
    expect(page.get_by_role("link", name="Curriculum vitae")).to_be_visible()

    # 8. The signed block: not accompanied.
    _section(page, dossier, "signature")
    page.locator("input[name=accompaniment][value=autonomous]").check()
    page.locator("input[name=signed]").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Rubrique « Engagement et signature du candidat » enregistrée.")).to_be_visible()

    # Every section is complete: the request goes.
    expect(page.locator(".badge", has_text="manque")).to_have_count(0)
    page.get_by_role("link", name="Demander la recevabilité").click()
    page.get_by_role("button", name="Demander la recevabilité").click()
    expect(page.get_by_text("Votre demande de recevabilité est transmise")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED
    content = dossier.snapshots.get().content["feasibility"]
    assert content["identity"]["first_names"] == ["Inès", "Claire"]
    assert content["idcc"] == "2941" and content["accompaniment"] == "autonomous"
    assert [b["activity"] for b in content["blocks"]] == ["yes", "partly", "no"]
    assert [d["file_name"] for d in content["documents"]] == ["cv.pdf"]
