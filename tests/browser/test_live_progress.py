"""The counters and « Et maintenant ? » of a compétence page follow the candidate's writing in
real Chromium: htmx asks them again after each autosave, without a reload."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dossiers.enums import DossierStatus as S
from tests.factories import NARRATIVE, PASSWORD, dossier_in_state

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_counters_change_as_the_candidate_writes_without_a_reload(page):
    dossier = dossier_in_state(S.ADMISSIBLE)
    statement = dossier.statements.order_by("competency__block__order", "competency__order").first()
    page.goto(reverse("login"))
    page.locator("input[name=username]").fill(dossier.candidate.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.goto(reverse("dossiers:competency", args=[dossier.pk, statement.competency_id]))
    live = page.locator("#dossier-live")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(live).to_contain_text("Récits rédigés (au moins 300 caractères) : 0 sur 3")
    page.evaluate("window.notReloaded = true")

    page.locator("textarea[name=narrative]").fill(NARRATIVE)

    expect(live).to_contain_text("Récits rédigés (au moins 300 caractères) : 1 sur 3")
    expect(live).to_contain_text("1 en cours")
    expect(live).to_contain_text("Complétez cette compétence")

    page.locator("input[name=experiences]").first.check()  # the narrative now draws on an experience

    expect(live).to_contain_text("1 compétence complète sur 3")
    expect(live).to_contain_text("Cette compétence est complète. Il reste 5 compétences à compléter.")
    expect(live.get_by_role("link", name="Compléter la compétence C1.2")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
