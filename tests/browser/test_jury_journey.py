"""A jury's day, in real headless Chromium, on the pages users see: two members declare no link
and score a candidate's bloc (confirming their validation), a divergence is flagged and the
président settles it with a justification, decides, both sign, the procès-verbal (with the
settlement and the agreement annex) is generated and the candidate reads the result."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from documents.enums import DocumentStatus
from juries.enums import JuryRole, MinutesStatus
from juries.models import JuryDocument, JurySession
from tests.factories import PASSWORD, UserFactory
from tests.juries.helpers import four_level_certification, jury_session

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def eager_celery():
    """The PDFs render in the request that makes the minutes final (no worker in this test)."""
    from vae_portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def log_in(page, user):
    page.context.clear_cookies()
    page.goto(reverse("login"))
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def declare_and_score(page, session, candidate_name, levels):
    page.get_by_role("link", name="Mes sessions de jury").click()
    page.get_by_role("link", name=re.compile(r"\d{4} à \d{1,2}\sh")).click()
    row = page.locator("#convocations tr", has_text=candidate_name)
    row.get_by_role("link", name="Déclarer mes liens").click()
    expect(page.get_by_text(candidate_name).first).to_be_visible()
    page.get_by_label("aucun lien").check()
    page.get_by_role("button", name="Enregistrer ma déclaration").click()
    expect(page.get_by_role("alert")).to_contain_text("vous pouvez lire le dossier")
    expect(page.get_by_role("heading", name="Expériences")).to_be_visible()
    page.locator("#notation").get_by_role("link", name="Noter").click()
    for fieldset, level in zip(page.locator("fieldset[id^=criterion-]").all(), levels, strict=True):
        fieldset.get_by_label(level).check()
        expect(page.locator("[data-autosave-status]")).to_contain_text("Enregistré à")
    page.get_by_role("button", name="Valider ma notation").click()
    expect(page.locator("#confirm-warning")).to_contain_text("n'est plus modifiable")
    page.get_by_role("button", name="Confirmer la validation").click()
    expect(page.get_by_role("alert")).to_contain_text("Notation validée")


def test_two_members_score_the_president_decides_both_sign_and_the_candidate_reads_the_result(page, eager_celery):
    cert = four_level_certification(title="Médiation sociale")
    first_bloc = cert.blocks.get(order=1)
    president = UserFactory(email="presidente@example.org", first_name="Claire", last_name="Durand")
    professional = UserFactory(email="pro@example.org", first_name="Bruno", last_name="Petit")
    session, (m_president, m_professional), (conv,) = jury_session(
        cert, roles=(JuryRole.PRESIDENT, JuryRole.PROFESSIONAL), blocks=[first_bloc]
    )
    # The members of the helper's session become our two people.
    type(m_president).objects.filter(pk=m_president.pk).update(user=president)
    type(m_professional).objects.filter(pk=m_professional.pk).update(user=professional)
    candidate = conv.dossier.candidate
    candidate.first_name, candidate.last_name = "Nina", "Lopez"
    candidate.save()

    # The professional declares no link and scores: the first criterion at the lowest level.
    log_in(page, professional)
    declare_and_score(page, session, "Nina Lopez", ["Insuffisant", "Excellent"])

    # The président does the same, two levels apart on the first criterion.
    log_in(page, president)
    declare_and_score(page, session, "Nina Lopez", ["Satisfaisant", "Excellent"])
    page.get_by_role("link", name="Grille du jury : les notations côte à côte").click()
    divergent = page.locator("tr[data-divergent]")
    expect(divergent).to_have_count(1)
    expect(divergent).to_contain_text("écart de 2 niveaux")
    expect(page.get_by_text("Score de la grille = Σ (pondération × points du niveau choisi)").first).to_be_visible()
    expect(page.locator("table tfoot")).to_contain_text("50,0 %")  # (0 + 3) / 6, the professional's
    expect(page.locator("table tfoot")).to_contain_text("83,3 %")  # (2 + 3) / 6, the président's

    # The candidate came; the président deliberates.
    page.get_by_role("link", name=re.compile("Jury du")).click()
    row = page.locator("#convocations tr", has_text="Nina Lopez")
    row.get_by_label("présence", exact=True).check()
    row.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("Présence enregistrée")
    page.locator("#convocations tr", has_text="Nina Lopez").get_by_role("link", name="Délibérer").click()
    expect(page.locator("#deliberation-problems")).to_contain_text("Les membres divergent sur")
    settle = page.locator("tr[data-divergent] form.settle-form")
    settle.get_by_label("Niveau retenu").select_option(label="Satisfaisant")
    settle.get_by_label("Pourquoi ce niveau (motif au procès-verbal)").fill(
        "À l'oral, la candidate a décrit sa médiation."
    )
    settle.get_by_role("button", name="Retenir ce niveau").click()
    expect(page.get_by_role("alert")).to_contain_text("Niveau retenu pour")
    expect(page.locator("tr[data-divergent] .settlement")).to_contain_text("Niveau retenu : Satisfaisant")
    page.get_by_label("Validé", exact=True).check()
    page.get_by_label("Justification").fill("Les deux situations décrites démontrent la médiation en autonomie.")
    page.get_by_label("Observations du jury").fill("Le jury salue la clarté de l'exposé.")
    page.get_by_role("button", name="Calculer le résultat").click()
    expect(page.locator("#computed-result")).to_contain_text("Validation totale des blocs de compétences visés")
    page.get_by_role("button", name="Confirmer la décision").click()
    expect(page.get_by_role("alert")).to_contain_text("Décision enregistrée")

    # Both sign the procès-verbal; the second signature makes it final.
    page.get_by_role("link", name="Procès-verbal").click()
    expect(page.locator("#h-content").locator("..")).to_contain_text("Validation totale des blocs de compétences visés")
    expect(page.locator(".settlements")).to_contain_text("À l'oral, la candidate a décrit sa médiation.")
    expect(page.locator("#minutes-agreement")).to_contain_text("Alpha de Krippendorff")
    page.get_by_role("button", name="Signer le procès-verbal").click()
    expect(page.get_by_role("alert")).to_contain_text("Vous avez signé le procès-verbal.")
    expect(page.locator("#minutes-status")).to_have_text("en attente des signatures")

    log_in(page, professional)
    page.goto(reverse("jury:minutes", args=[session.pk]))
    page.get_by_role("button", name="Signer le procès-verbal").click()
    expect(page.locator("#minutes-status")).to_have_text("définitif")
    session = JurySession.objects.get(pk=session.pk)
    assert session.minutes.status == MinutesStatus.FINAL
    minutes_pdf = JuryDocument.objects.get(session=session, kind="minutes")
    assert minutes_pdf.status == DocumentStatus.DONE and minutes_pdf.pages >= 1
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le PDF").click()
    assert download.value.suggested_filename.startswith("proces-verbal-jury-")

    # The candidate reads the result, and downloads the letter.
    log_in(page, candidate)
    page.goto(conv.dossier.get_absolute_url())
    result = page.locator("#resultat")
    expect(result).to_contain_text("Validation totale des blocs de compétences visés")
    expect(result).to_contain_text("validé — acquis à vie")
    expect(result).to_contain_text("Le jury salue la clarté de l'exposé.")
    with page.expect_download() as download:
        result.get_by_role("link", name="Lettre de décision").click()
    assert download.value.suggested_filename.startswith("lettre-de-decision-")
