import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE_URL = reverse("accounts:profile")


@pytest.fixture
def nina(client):
    user = UserFactory(email="nina@example.org", first_name="Nina", last_name="Simoné", phone="")
    client.force_login(user)
    return user


def test_anonymous_access_to_the_profile_redirects_to_login(client):
    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={PROFILE_URL}"


def test_the_profile_shows_the_address_read_only_and_the_editable_fields(client, nina):
    response = client.get(PROFILE_URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="nina@example.org" readonly' in page
    assert 'name="email"' not in page
    for field in ["first_name", "last_name", "phone"]:
        assert f'name="{field}"' in page
    assert "Prénom" in page
    assert "Téléphone" in page
    assert list(response.context["form"].fields) == ["first_name", "last_name", "phone"]


def test_the_profile_saves_names_and_phone(client, nina):
    response = client.post(
        PROFILE_URL,
        {"first_name": "Nina ", "last_name": "Dupont", "phone": " +33 6 12  34 56 78 "},
        follow=True,
    )

    assert response.redirect_chain == [(PROFILE_URL, 302)]
    assert "Votre profil est enregistré." in response.content.decode()
    nina.refresh_from_db()
    assert (nina.first_name, nina.last_name, nina.phone) == ("Nina", "Dupont", "+33 6 12 34 56 78")


def test_the_profile_cannot_change_the_address_or_rights(client, nina):
    client.post(
        PROFILE_URL,
        {
            "first_name": "Nina",
            "last_name": "Simoné",
            "email": "autre@example.org",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )

    nina.refresh_from_db()
    assert nina.email == "nina@example.org"
    assert not nina.is_staff
    assert not nina.is_superuser


@pytest.mark.parametrize("phone", ["appelez-moi", "12", "06 12 34 56 78 90 12 34 56"])
def test_the_profile_refuses_an_invalid_phone_and_keeps_what_was_typed(client, nina, phone):
    response = client.post(PROFILE_URL, {"first_name": "Nina", "last_name": "Dupont", "phone": phone})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Numéro de téléphone non valide" in page
    assert 'value="Dupont"' in page
    assert f'value="{phone}"' in page
    nina.refresh_from_db()
    assert nina.last_name == "Simoné"


def test_the_profile_requires_first_and_last_names(client, nina):
    response = client.post(PROFILE_URL, {"first_name": "", "last_name": "", "phone": ""})

    # Each error beside its field, and in the summary at the top of the form (linked to the field).
    page = response.content.decode()
    assert page.count("Ce champ est obligatoire.") == 4
    assert '<a href="#id_first_name">Prénom : Ce champ est obligatoire.</a>' in page
    nina.refresh_from_db()
    assert nina.first_name == "Nina"


def test_the_phone_is_optional(client, nina):
    response = client.post(PROFILE_URL, {"first_name": "Nina", "last_name": "Simoné", "phone": ""})

    assert response.status_code == 302
