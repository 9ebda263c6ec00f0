"""The autosave script in real Chromium: two tabs in conflict, and a session that expires."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from playwright.sync_api import expect

from dossiers.enums import DossierStatus as S
from tests.factories import PASSWORD, dossier_in_state

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def context(page):
    return page.context


def _log_in(page, email):
    page.goto(reverse("login"))
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


@pytest.fixture
def competency_page(page):
    dossier = dossier_in_state(S.ADMISSIBLE)
    statement = dossier.statements.first()
    _log_in(page, dossier.candidate.email)
    return page, reverse("dossiers:competency", args=[dossier.pk, statement.competency_id]), statement


def test_two_tabs_in_conflict_see_both_texts_and_choose(context, competency_page):
    tab_a, url, statement = competency_page
    tab_a.goto(url)
    tab_b = context.new_page()
    tab_b.goto(url)

    tab_a.locator("textarea[name=narrative]").fill("Texte écrit dans l'onglet A.")
    expect(tab_a.locator("[data-autosave-status]")).to_contain_text("Enregistré à")
    tab_b.locator("textarea[name=narrative]").fill("Texte écrit dans l'onglet B.")

    panel = tab_b.locator("[data-autosave-panel]")
    expect(panel).to_contain_text("Votre texte")
    expect(panel).to_contain_text("Texte enregistré depuis un autre onglet")
    expect(panel.locator("textarea").nth(0)).to_have_value("Texte écrit dans l'onglet B.")
    expect(panel.locator("textarea").nth(1)).to_have_value("Texte écrit dans l'onglet A.")
    statement.refresh_from_db()
    assert statement.narrative == "Texte écrit dans l'onglet A."

    tab_b.get_by_role("button", name="Garder mon texte").click()
    expect(tab_b.locator("[data-autosave-status]")).to_contain_text("Enregistré à")
    statement.refresh_from_db()
    assert statement.narrative == "Texte écrit dans l'onglet B."

    # Tab A is now the stale one; this time the candidate takes the saved text back.
    tab_a.locator("textarea[name=narrative]").fill("Suite écrite dans l'onglet A.")
    tab_a.get_by_role("button", name="Reprendre le texte enregistré").click()
    expect(tab_a.locator("textarea[name=narrative]")).to_have_value("Texte écrit dans l'onglet B.")
    expect(tab_a.locator("[data-autosave-mine]")).to_have_value("Suite écrite dans l'onglet A.")
    tab_a.locator("textarea[name=narrative]").fill("Texte écrit dans l'onglet B, complété.")
    expect(tab_a.locator("[data-autosave-status]")).to_contain_text("Enregistré à")
    statement.refresh_from_db()
    assert statement.narrative == "Texte écrit dans l'onglet B, complété."


def test_an_expired_session_keeps_the_text_and_saves_it_after_logging_in_again_in_another_tab(context, competency_page):
    page, url, statement = competency_page
    page.goto(url)
    Session.objects.all().delete()  # the session expires while the candidate writes

    page.locator("textarea[name=narrative]").fill("Un paragraphe qu'il ne faut pas perdre.")

    panel = page.locator("[data-autosave-panel]")
    expect(panel).to_contain_text("Votre session a expiré")
    expect(page.locator("textarea[name=narrative]")).to_have_value("Un paragraphe qu'il ne faut pas perdre.")
    with context.expect_page() as popup:
        panel.get_by_role("link", name="Me reconnecter dans un nouvel onglet").click()
    login = popup.value
    login.locator("input[name=username]").fill(statement.dossier.candidate.email)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("main button[type=submit]").click()
    expect(login.get_by_role("heading", name="Connexion rétablie")).to_be_visible()

    page.bring_to_front()
    expect(page.locator("[data-autosave-status]")).to_contain_text("Enregistré à", timeout=15_000)
    statement.refresh_from_db()
    assert statement.narrative == "Un paragraphe qu'il ne faut pas perdre."


def test_too_many_saves_show_the_message_keep_the_text_and_save_it_a_little_later(competency_page, settings):
    from django.core.cache import cache

    page, url, statement = competency_page
    settings.USER_THROTTLE_RATES = {**settings.USER_THROTTLE_RATES, "autosave": (1, 60)}
    page.goto(url)
    status, narrative = page.locator("[data-autosave-status]"), page.locator("textarea[name=narrative]")
    narrative.fill("Un premier jet.")
    expect(status).to_contain_text("Enregistré à")

    narrative.fill("Un premier jet, puis la suite qu'il ne faut pas perdre.")

    expect(status).to_contain_text("Trop d'enregistrements en peu de temps. Votre texte est toujours dans la page")
    expect(narrative).to_have_value("Un premier jet, puis la suite qu'il ne faut pas perdre.")
    cache.clear()  # the minute is over
    expect(status).to_contain_text("Enregistré à", timeout=15_000)
    statement.refresh_from_db()
    assert statement.narrative == "Un premier jet, puis la suite qu'il ne faut pas perdre."
