import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("login")


def test_the_login_page_is_public_and_in_french(client):
    response = client.get(LOGIN_URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Adresse e-mail" in page
    assert "Mot de passe" in page
    assert f'href="{reverse("password_reset")}"' in page
    assert f'href="{reverse("accounts:signup")}"' in page


def test_login_accepts_the_address_in_any_case_and_goes_to_next(client):
    user = UserFactory(email="nina@example.org")

    response = client.post(
        LOGIN_URL, {"username": "NINA@Example.org", "password": PASSWORD, "next": "/certifications/"}
    )

    assert response.status_code == 302
    assert response.url == "/certifications/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_a_wrong_password_gives_a_french_error_and_keeps_the_address(client):
    UserFactory(email="nina@example.org")

    response = client.post(LOGIN_URL, {"username": "nina@example.org", "password": "pas-le-bon"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in page
    assert 'value="nina@example.org"' in page
    assert "pas-le-bon" not in page


def test_an_unknown_address_gets_the_same_error_as_a_wrong_password(client):
    response = client.post(LOGIN_URL, {"username": "personne@example.org", "password": "pas-le-bon"})

    assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()
    assert "pas encore confirmée" not in response.content.decode()


def test_an_account_an_admin_deactivated_cannot_log_in_and_gets_no_resend_hint(client):
    UserFactory(email="nina@example.org", is_active=False)

    response = client.post(LOGIN_URL, {"username": "nina@example.org", "password": PASSWORD})

    page = response.content.decode()
    assert "Adresse e-mail ou mot de passe incorrect." in page
    assert "pas encore confirmée" not in page
    assert "_auth_user_id" not in client.session


def test_logout_by_post_logs_out_and_says_so(client):
    client.force_login(UserFactory())

    response = client.post(reverse("logout"), follow=True)

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "_auth_user_id" not in client.session
    assert "Déconnexion effectuée. À bientôt !" in response.content.decode()


def test_logout_by_get_is_refused_and_keeps_the_session(client):
    client.force_login(UserFactory())

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in client.session


def test_logging_out_when_already_logged_out_is_harmless(client):
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_the_nav_offers_sign_up_to_visitors(client):
    page = client.get(reverse("home")).content.decode()

    assert "Créer un compte" in page
    assert "Mon profil" not in page


def test_the_nav_offers_the_profile_and_logout_once_logged_in(client):
    client.force_login(UserFactory())

    page = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("accounts:profile")}"' in page
    assert "Mon profil" in page
    assert "Se déconnecter" in page
    assert "Créer un compte" not in page
