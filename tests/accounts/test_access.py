import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    reverse("login"),
    reverse("accounts:signup"),
    reverse("accounts:signup_done"),
    reverse("accounts:resend_confirmation"),
    reverse("password_reset"),
    reverse("password_reset_done"),
    reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "invalide"}),
    reverse("password_reset_complete"),
]
PRIVATE_PAGES = [reverse("accounts:profile"), reverse("accounts:password_change")]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_an_anonymous_visitor_can_open_the_public_account_pages(client, url):
    assert client.get(url).status_code == 200


def test_an_anonymous_visitor_can_follow_a_confirmation_link(client):
    response = client.get(reverse("accounts:confirm_email", kwargs={"token": "invalide"}))

    assert response.status_code == 400  # the "invalid link" page, not a redirect to login


@pytest.mark.parametrize("url", PRIVATE_PAGES)
def test_an_anonymous_visitor_is_sent_to_login_from_private_account_pages(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("url", PRIVATE_PAGES)
def test_a_logged_in_person_can_open_their_account_pages(client, url):
    client.force_login(UserFactory())

    assert client.get(url).status_code == 200
