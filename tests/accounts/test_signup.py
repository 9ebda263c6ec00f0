import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.conftest import link_path
from tests.emails import assert_html_says_the_same
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = reverse("accounts:signup")


def sign_up(client, data, capture):
    with capture(execute=True):
        return client.post(SIGNUP_URL, data)


def test_the_sign_up_page_is_public_and_in_french(client):
    response = client.get(SIGNUP_URL)

    page = response.content.decode()
    assert response.status_code == 200
    for label in ["Adresse e-mail", "Prénom", "Nom", "Mot de passe", "Confirmation du mot de passe"]:
        assert label in page
    assert "Votre mot de passe doit contenir au minimum 8 caractères." in page


def test_sign_up_creates_an_inactive_account_and_sends_one_email_with_a_confirmation_link(
    client, mailoutbox, signup_data, django_capture_on_commit_callbacks
):
    response = sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_done")
    user = User.objects.get()
    assert user.email == "nina@example.org"
    assert (user.first_name, user.last_name) == ("Nina", "Simoné")
    assert not user.is_active
    assert user.awaiting_email_confirmation
    assert user.check_password(signup_data["password1"])
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nina@example.org"]
    assert message.subject == "Portail VAE\u00a0: confirmez votre adresse e-mail"
    assert "Bonjour Nina," in message.body
    assert "valable 3 jours" in message.body
    assert link_path(message).startswith("/accounts/confirmation/")
    assert "http://127.0.0.1:8000/accounts/confirmation/" in message.body


def test_the_confirmation_emails_text_has_no_html_escaping_and_its_html_part_is_escaped(
    client, mailoutbox, signup_data, django_capture_on_commit_callbacks
):
    signup_data["first_name"] = "Zoé-Anne & Co'"

    sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert "Bonjour Zoé-Anne & Co'," in mailoutbox[0].body
    # The e-mails now have an HTML part too (core.emails), made from this text, escaped.
    assert "Bonjour Zoé-Anne &amp; Co&#x27;," in assert_html_says_the_same(mailoutbox[0])


def test_the_links_in_emails_are_built_on_site_url(
    client, mailoutbox, signup_data, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://vae.example"

    sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert "https://vae.example/accounts/confirmation/" in mailoutbox[0].body


def test_the_page_after_sign_up_tells_where_the_link_was_sent(client, signup_data, django_capture_on_commit_callbacks):
    sign_up(client, signup_data, django_capture_on_commit_callbacks)

    response = client.get(reverse("accounts:signup_done"))

    assert "nina@example.org" in response.content.decode()
    assert "valable 3 jours" in response.content.decode()


def strip_csrf(page: str) -> str:
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "<csrf token>", page)


@pytest.mark.parametrize("existing", ["nina@example.org", "NINA@EXAMPLE.ORG", "Nina@Example.org"])
def test_sign_up_with_an_address_that_has_an_account_answers_exactly_as_for_a_new_one(
    client, signup_data, existing, django_capture_on_commit_callbacks
):
    new_address_client = Client()
    sign_up(new_address_client, {**signup_data, "email": "Inconnue@Example.org"}, django_capture_on_commit_callbacks)
    expected = strip_csrf(new_address_client.get(reverse("accounts:signup_done")).content.decode())
    UserFactory(email=existing)

    response = sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_done")
    page = client.get(response.url).content.decode()
    assert "Un compte existe déjà" not in page
    assert strip_csrf(page).replace("nina@example.org", "inconnue@example.org") == expected
    assert "Si cette adresse peut être utilisée, un e-mail vient de vous être envoyé" in page


def test_sign_up_never_says_the_address_has_an_account_even_when_the_form_is_refused(
    client, signup_data, django_capture_on_commit_callbacks
):
    UserFactory(email="nina@example.org")
    signup_data["password2"] = "autre chose"

    page = sign_up(client, signup_data, django_capture_on_commit_callbacks).content.decode()

    assert "Les deux mots de passe ne correspondent pas." in page
    assert "existe déjà" not in page


def test_an_account_whose_address_is_used_to_sign_up_again_gets_an_email_with_login_and_reset_links(
    client, mailoutbox, signup_data, django_capture_on_commit_callbacks
):
    user = UserFactory(email="nina@example.org", first_name="Nina")

    sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert User.objects.count() == 1
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert (user.first_name, user.last_name) == ("Nina", user.last_name)
    (message,) = mailoutbox
    assert message.to == ["nina@example.org"]
    assert message.subject == "Portail VAE\u00a0: tentative d'inscription avec votre adresse"
    assert "Bonjour Nina," in message.body
    assert "Quelqu'un vient d'essayer de créer un compte" in message.body
    assert "http://127.0.0.1:8000/accounts/login/" in message.body
    assert "http://127.0.0.1:8000/accounts/mot-de-passe/oublie/" in message.body
    assert "/accounts/confirmation/" not in message.body
    assert "pas encore confirmée" not in message.body


def test_an_account_awaiting_confirmation_is_told_a_new_password_confirms_it(
    client, mailoutbox, signup_data, django_capture_on_commit_callbacks
):
    UserFactory(email="nina@example.org", is_active=False, awaiting_email_confirmation=True)

    sign_up(client, signup_data, django_capture_on_commit_callbacks)

    (message,) = mailoutbox
    assert "Votre adresse n'est pas encore confirmée\u00a0: choisir un nouveau mot de passe la confirmera aussi." in (
        message.body
    )


@pytest.mark.parametrize("kind", ["deactivated by an admin", "jury invitation not accepted"])
def test_an_account_that_cannot_log_in_gets_no_email_and_the_answer_is_the_same(
    client, mailoutbox, signup_data, kind, django_capture_on_commit_callbacks
):
    user = UserFactory(email="nina@example.org", is_active=False)
    if kind == "jury invitation not accepted":
        user.set_unusable_password()
        user.save()

    response = sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert response.url == reverse("accounts:signup_done")
    assert mailoutbox == []
    assert User.objects.count() == 1


def test_sign_up_refuses_a_weak_password_with_the_validator_message_and_keeps_the_rest(
    client, mailoutbox, signup_data, django_capture_on_commit_callbacks
):
    signup_data["password1"] = signup_data["password2"] = "12345678"

    response = sign_up(client, signup_data, django_capture_on_commit_callbacks)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ce mot de passe est trop courant." in page
    assert "Ce mot de passe est entièrement numérique." in page
    assert 'value="Nina@Example.org"' in page
    assert 'value="Simoné"' in page
    assert "12345678" not in page
    assert not User.objects.exists()
    assert mailoutbox == []


def test_sign_up_refuses_a_password_too_close_to_the_name(client, signup_data, django_capture_on_commit_callbacks):
    signup_data["password1"] = signup_data["password2"] = "simoné-nina"

    response = sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert "Le mot de passe est trop semblable au champ «\xa0nom\xa0»." in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_refuses_two_different_passwords(client, signup_data, django_capture_on_commit_callbacks):
    signup_data["password2"] = signup_data["password1"] + "x"

    response = sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert "Les deux mots de passe ne correspondent pas." in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize("field", ["email", "first_name", "last_name", "password1"])
def test_sign_up_requires_every_field(client, signup_data, field, django_capture_on_commit_callbacks):
    signup_data[field] = ""

    response = sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert "Ce champ est obligatoire." in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_refuses_an_invalid_address(client, signup_data, django_capture_on_commit_callbacks):
    signup_data["email"] = "nina.example.org"

    response = sign_up(client, signup_data, django_capture_on_commit_callbacks)

    assert "Saisissez une adresse de courriel valide." in response.content.decode()


def test_a_logged_in_person_visiting_sign_up_is_sent_home(client):
    client.force_login(UserFactory())

    response = client.get(SIGNUP_URL)

    assert response.status_code == 302
    assert response.url == reverse("home")
