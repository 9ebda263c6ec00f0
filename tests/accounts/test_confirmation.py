import time
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.signing import TimestampSigner
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import services, tokens
from accounts.models import User
from tests.accounts.conftest import link_path
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

RESEND_URL = reverse("accounts:resend_confirmation")
THREE_DAYS = 3 * 24 * 3600


@pytest.fixture
def pending_user():
    return UserFactory(email="nina@example.org", first_name="Nina", is_active=False, awaiting_email_confirmation=True)


def confirm_url(user_id: int) -> str:
    return reverse("accounts:confirm_email", kwargs={"token": tokens.make_confirmation_token(user_id)})


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_link_from_the_sign_up_email_activates_the_account_logs_in_and_goes_home(
    client, mailoutbox, signup_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:signup"), signup_data)

    response = client.get(link_path(mailoutbox[0]), follow=True)

    user = User.objects.get()
    assert user.is_active
    assert not user.awaiting_email_confirmation
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert response.wsgi_request.user == user
    assert "Votre adresse e-mail est confirmée. Bienvenue sur le portail VAE !" in response.content.decode()


def test_the_link_works_only_once(client, pending_user):
    url = confirm_url(pending_user.pk)
    client.get(url)
    client.logout()

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert texts(response) == ["Votre adresse e-mail est déjà confirmée."]
    assert "_auth_user_id" not in client.session


def test_a_link_three_days_old_still_works(client, pending_user):
    with mock.patch("time.time", return_value=time.time() - THREE_DAYS + 60):
        url = confirm_url(pending_user.pk)

    client.get(url)

    pending_user.refresh_from_db()
    assert pending_user.is_active


def test_an_expired_link_is_refused_with_a_way_to_get_a_new_one(client, pending_user):
    with mock.patch("time.time", return_value=time.time() - THREE_DAYS - 60):
        url = confirm_url(pending_user.pk)

    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Ce lien de confirmation a expiré" in page
    assert "Un lien de confirmation est valable 3 jours." in page
    assert f'action="{RESEND_URL}"' in page
    pending_user.refresh_from_db()
    assert not pending_user.is_active
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"), id="signature changed"),
        pytest.param(lambda token: "1" + token, id="user id changed"),
        pytest.param(lambda token: token.rsplit(":", 1)[0], id="signature removed"),
        pytest.param(lambda token: "n'importe-quoi", id="garbage"),
    ],
)
def test_a_tampered_link_is_refused(client, pending_user, tamper):
    UserFactory(pk=int("1" + str(pending_user.pk)), is_active=False, awaiting_email_confirmation=True)
    token = tamper(tokens.make_confirmation_token(pending_user.pk))

    response = client.get(reverse("accounts:confirm_email", kwargs={"token": token}))

    assert response.status_code == 400
    assert "Ce lien de confirmation n'est pas valide" in response.content.decode()
    assert not User.objects.filter(is_active=True).exists()
    assert "_auth_user_id" not in client.session


def test_a_link_signed_for_another_purpose_is_refused(client, pending_user):
    token = TimestampSigner(salt="another-purpose").sign(str(pending_user.pk))

    response = client.get(reverse("accounts:confirm_email", kwargs={"token": token}))

    assert response.status_code == 400


def test_a_link_for_a_deleted_account_is_refused(client, pending_user):
    url = confirm_url(pending_user.pk)
    pending_user.delete()

    response = client.get(url)

    assert response.status_code == 400


def test_a_link_does_not_reactivate_an_account_an_admin_deactivated(client):
    user = UserFactory(is_active=False)

    response = client.get(confirm_url(user.pk))

    user.refresh_from_db()
    assert not user.is_active
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_logged_in_person_following_their_link_again_is_sent_home(client, pending_user):
    url = confirm_url(pending_user.pk)
    client.get(url)

    response = client.get(url)

    assert response.url == reverse("home")
    assert "Votre adresse e-mail est déjà confirmée." in texts(response)


def test_the_resend_page_is_public_and_in_french(client):
    response = client.get(RESEND_URL)

    assert response.status_code == 200
    assert "Recevoir un nouveau lien de confirmation" in response.content.decode()


def test_resend_sends_a_new_working_link_to_an_account_awaiting_confirmation(
    client, mailoutbox, pending_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESEND_URL, {"email": "NINA@example.org"})

    assert response.url == reverse("login")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nina@example.org"]
    client.get(link_path(mailoutbox[0]))
    pending_user.refresh_from_db()
    assert pending_user.is_active


@pytest.mark.parametrize(
    "email",
    ["nina@example.org", "personne@example.org", "active@example.org", "desactive@example.org"],
    ids=["awaiting confirmation", "unknown", "already active", "deactivated by an admin"],
)
def test_resend_gives_the_same_answer_whether_or_not_the_account_exists(
    client, mailoutbox, pending_user, email, django_capture_on_commit_callbacks
):
    UserFactory(email="active@example.org")
    UserFactory(email="desactive@example.org", is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESEND_URL, {"email": email})

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert texts(response) == [
        "Si un compte en attente de confirmation correspond à cette adresse, nous venons d'y envoyer "
        "un nouveau lien. Pensez à regarder dans vos courriers indésirables."
    ]
    assert len(mailoutbox) == (1 if email == "nina@example.org" else 0)


def test_resend_refuses_an_invalid_address_and_keeps_it(client):
    response = client.post(RESEND_URL, {"email": "nina.example.org"})

    assert response.status_code == 200
    assert 'value="nina.example.org"' in response.content.decode()
    assert "Saisissez une adresse de courriel valide." in response.content.decode()


def test_login_with_the_right_password_of_an_unconfirmed_account_offers_to_resend_the_link(
    client, mailoutbox, pending_user, django_capture_on_commit_callbacks
):
    response = client.post(reverse("login"), {"username": "Nina@example.org", "password": PASSWORD})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Votre adresse n&#x27;est pas encore confirmée" in page
    assert f'action="{RESEND_URL}"' in page
    assert 'name="email" value="Nina@example.org"' in page
    assert "_auth_user_id" not in client.session

    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESEND_URL, {"email": "Nina@example.org"})

    assert len(mailoutbox) == 1


def test_login_with_a_wrong_password_of_an_unconfirmed_account_says_nothing_about_it(client, pending_user):
    response = client.post(reverse("login"), {"username": "nina@example.org", "password": "pas-le-bon"})

    page = response.content.decode()
    assert "Adresse e-mail ou mot de passe incorrect." in page
    assert "pas encore confirmée" not in page


def test_a_locked_out_account_awaiting_confirmation_gets_the_lockout_page_not_the_hint(client, settings, pending_user):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "nina@example.org", "password": "pas-le-bon"})

    response = client.post(reverse("login"), {"username": "nina@example.org", "password": PASSWORD})

    assert response.status_code == 429
    assert "pas encore confirmée" not in response.content.decode()


def test_the_service_refuses_a_second_account_whose_address_differs_only_in_case(pending_user):
    with pytest.raises(services.EmailAlreadyRegistered):
        services.sign_up(email="NINA@EXAMPLE.ORG", password=PASSWORD, first_name="N", last_name="S")


def test_the_database_refuses_two_addresses_differing_only_in_case(pending_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="Nina@Example.org")
