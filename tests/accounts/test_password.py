import pytest
from django.urls import reverse

from accounts.models import User
from tests.accounts.conftest import link_path
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

RESET_URL = reverse("password_reset")
NEW_PASSWORD = "un-tout-nouveau-secret-2027"


@pytest.fixture
def ask_reset(django_capture_on_commit_callbacks):
    """Ask for a reset link; its e-mail is queued once the request's work is committed."""

    def ask(client, email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET_URL, {"email": email})

    return ask


def choose_new_password(client, message, password=NEW_PASSWORD):
    """Follow the link of a reset e-mail and choose a password; Django first swaps the token
    for a session value and redirects."""
    response = client.get(link_path(message))
    assert response.status_code == 302
    return client.post(response.url, {"new_password1": password, "new_password2": password})


def test_the_password_reset_pages_are_public_and_in_french(client):
    response = client.get(RESET_URL)

    assert response.status_code == 200
    assert "Mot de passe oublié" in response.content.decode()
    assert "Adresse e-mail" in response.content.decode()
    assert "Vérifiez vos e-mails" in client.get(reverse("password_reset_done")).content.decode()
    assert "Mot de passe enregistré" in client.get(reverse("password_reset_complete")).content.decode()


def test_password_reset_full_flow(client, mailoutbox, ask_reset):
    user = UserFactory(email="nina@example.org", first_name="Nina")

    response = ask_reset(client, "Nina@Example.org")

    assert response.url == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nina@example.org"]
    assert message.subject == "Portail VAE\u00a0: choisissez un nouveau mot de passe"
    assert "Bonjour Nina," in message.body
    assert "http://127.0.0.1:8000/accounts/mot-de-passe/nouveau/" in message.body
    assert "valable 3 jours, une seule fois" in message.body

    form_page = client.get(client.get(link_path(message)).url)
    assert "Choisir un nouveau mot de passe" in form_page.content.decode()
    assert "Nouveau mot de passe" in form_page.content.decode()

    response = choose_new_password(client, message)

    assert response.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.login(username="nina@example.org", password=NEW_PASSWORD)


def test_a_reset_link_works_only_once(client, mailoutbox, ask_reset):
    UserFactory(email="nina@example.org")
    ask_reset(client, "nina@example.org")
    choose_new_password(client, mailoutbox[0])

    response = client.get(link_path(mailoutbox[0]), follow=True)

    assert "Ce lien n'est plus valide" in response.content.decode()
    assert f'href="{RESET_URL}"' in response.content.decode()


def test_a_reset_refuses_a_weak_password_with_the_validator_message(client, mailoutbox, ask_reset):
    user = UserFactory(email="nina@example.org")
    ask_reset(client, "nina@example.org")

    response = choose_new_password(client, mailoutbox[0], password="azerty")

    assert response.status_code == 200
    assert "Ce mot de passe est trop court." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    "email",
    ["nina@example.org", "personne@example.org", "desactive@example.org"],
    ids=["existing", "unknown", "deactivated by an admin"],
)
def test_password_reset_gives_the_same_answer_whether_or_not_the_account_exists(client, mailoutbox, email, ask_reset):
    UserFactory(email="nina@example.org")
    UserFactory(email="desactive@example.org", is_active=False)

    response = ask_reset(client, email)

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mailoutbox) == (1 if email == "nina@example.org" else 0)


def test_a_reset_link_confirms_an_address_awaiting_confirmation(client, mailoutbox, ask_reset):
    UserFactory(email="nina@example.org", is_active=False, awaiting_email_confirmation=True)
    ask_reset(client, "nina@example.org")

    choose_new_password(client, mailoutbox[0])

    user = User.objects.get()
    assert user.is_active
    assert not user.awaiting_email_confirmation
    assert client.login(username="nina@example.org", password=NEW_PASSWORD)


def test_password_change_needs_the_old_password(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "pas-le-bon", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert "Votre ancien mot de passe est incorrect." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_keeps_the_person_logged_in_and_returns_to_the_profile(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("accounts:profile"), 302)]
    assert "Votre mot de passe est modifié." in response.content.decode()
    assert response.wsgi_request.user == user
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_the_password_change_page_needs_a_login(client):
    url = reverse("accounts:password_change")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
