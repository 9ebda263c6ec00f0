import re

import pytest
from playwright.sync_api import expect

from tests.accounts.conftest import link_path
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_signs_up_confirms_the_address_edits_the_profile_and_logs_out(page, mailoutbox):
    page.goto("/")
    page.get_by_role("link", name="Créer un compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")

    page.get_by_label("Adresse e-mail").fill("Nina@Example.org")
    page.get_by_label("Prénom").fill("Nina")
    page.get_by_label(re.compile(r"^\s*Nom\W*$")).fill("Simoné")
    page.get_by_label(re.compile(r"^\s*Mot de passe\W*$")).fill("12345678")
    page.get_by_label("Confirmation du mot de passe").fill("12345678")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_text("Ce mot de passe est trop courant.", exact=True)).to_be_visible()
    expect(page.get_by_label("Prénom")).to_have_value("Nina")

    page.get_by_label(re.compile(r"^\s*Mot de passe\W*$")).fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre adresse e-mail")
    expect(page.get_by_text("nina@example.org")).to_be_visible()
    assert len(mailoutbox) == 1

    page.goto(link_path(mailoutbox[0]))
    expect(page.get_by_text("Votre adresse e-mail est confirmée.")).to_be_visible()

    page.get_by_role("link", name="Mon profil").click()
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Votre profil est enregistré.")).to_be_visible()
    expect(page.get_by_label("Téléphone")).to_have_value("06 12 34 56 78")

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Déconnexion effectuée. À bientôt !")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Se connecter"))).to_be_visible()
