import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _signup(client, n, **extra):
    return client.post(
        reverse("accounts:signup"),
        {
            "email": f"personne{n}@example.org",
            "first_name": "Camille",
            "last_name": "Durand",
            "password1": "Un-mot-de-passe-solide-2026",
            "password2": "Un-mot-de-passe-solide-2026",
        },
        **extra,
    )


def test_sign_up_is_throttled_per_client_with_the_typed_names_kept(
    client, settings, django_capture_on_commit_callbacks
):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "signup": (2, 3, 3600)}
    with django_capture_on_commit_callbacks(execute=True):
        assert _signup(client, 1).status_code == 302
        assert _signup(client, 2).status_code == 302
        response = _signup(client, 3)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Trop de demandes" in page
    assert 'value="Camille"' in page and 'value="personne3@example.org"' in page
    assert len(mail.outbox) == 2


def test_every_sign_up_post_counts_per_address_even_refused_ones(client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "signup": (100, 2, 3600)}
    weak = {"email": "cible@example.org", "first_name": "C", "last_name": "D", "password1": "1", "password2": "1"}
    for n in range(2):
        page = client.post(reverse("accounts:signup"), weak, REMOTE_ADDR=f"192.0.2.{n}").content.decode()
        assert "Trop de demandes" not in page

    response = client.post(reverse("accounts:signup"), {**weak, "password1": PASSWORD, "password2": PASSWORD})

    assert "Trop de demandes" in response.content.decode()
    assert len(mail.outbox) == 0


def test_every_sign_up_post_counts_per_client_even_refused_ones(client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "signup": (2, 100, 3600)}
    for n in range(2):
        client.post(reverse("accounts:signup"), {"email": f"pas-une-adresse-{n}"})

    response = _signup(client, 3)

    assert "Trop de demandes" in response.content.decode()
    assert len(mail.outbox) == 0


def test_a_throttled_sign_up_says_the_same_for_a_known_and_an_unknown_address(client, settings):
    UserFactory(email="personne1@example.org")
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "signup": (1, 100, 3600)}
    client.post(reverse("accounts:signup"), {"email": "autre@example.org"})

    known = _signup(client, 1).content.decode()
    unknown = _signup(client, 2).content.decode()

    assert "Trop de demandes" in known and "Trop de demandes" in unknown
    assert "existe déjà" not in known


def test_password_reset_is_throttled_per_target_address(client, settings, django_capture_on_commit_callbacks):
    UserFactory(email="cible@example.org")
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "password_reset": (100, 2, 3600)}
    url = reverse("password_reset")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            assert client.post(url, {"email": "cible@example.org"}).status_code == 302

        response = client.post(url, {"email": "cible@example.org"})

    assert "Trop de demandes" in response.content.decode()
    assert len(mail.outbox) == 2


def test_the_confirmation_link_resend_is_throttled(client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "resend_confirmation": (1, 5, 3600)}
    url = reverse("accounts:resend_confirmation")
    client.post(url, {"email": "a@example.org"})
    response = client.post(url, {"email": "b@example.org"})
    assert "Trop de demandes" in response.content.decode()


# --- per user: autosave and the personal data archive ---------------------------------------

AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}


@pytest.fixture
def statement(db):
    from dossiers.enums import DossierStatus as S
    from tests.factories import dossier_in_state

    return dossier_in_state(S.ADMISSIBLE).statements.select_related("dossier__candidate").first()


def _save(client, statement, text, **extra):
    url = reverse("dossiers:statement_save", args=[statement.dossier_id, statement.competency_id])
    statement.refresh_from_db()
    return client.post(url, {"version": statement.version, "narrative": text}, **extra)


def test_the_default_autosave_limit_lets_the_script_save_every_second_for_a_minute(client, statement):
    client.force_login(statement.dossier.candidate)

    answers = {_save(client, statement, f"Phrase {n}.", **AUTOSAVE).status_code for n in range(60)}

    assert answers == {200}


def test_autosaves_over_the_limit_get_a_429_the_script_shows_and_nothing_is_saved(client, statement, settings):
    settings.USER_THROTTLE_RATES = {**settings.USER_THROTTLE_RATES, "autosave": (2, 60)}
    client.force_login(statement.dossier.candidate)
    for n in range(2):
        assert _save(client, statement, f"Phrase {n}.", **AUTOSAVE).status_code == 200

    response = _save(client, statement, "Une phrase de trop.", **AUTOSAVE)

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    body = response.json()
    assert body["status"] == "throttled"
    assert body["message"].startswith("Trop d'enregistrements en peu de temps. Votre texte est toujours dans la page")
    statement.refresh_from_db()
    assert statement.narrative == "Phrase 1."


def test_the_autosave_limit_is_per_user(client, statement, settings):
    from dossiers.enums import DossierStatus as S
    from tests.factories import dossier_in_state

    settings.USER_THROTTLE_RATES = {**settings.USER_THROTTLE_RATES, "autosave": (1, 60)}
    client.force_login(statement.dossier.candidate)
    _save(client, statement, "Un.", **AUTOSAVE)
    other = dossier_in_state(S.ADMISSIBLE).statements.select_related("dossier__candidate").first()
    client.force_login(other.dossier.candidate)

    assert _save(client, other, "Deux.", **AUTOSAVE).status_code == 200


def test_a_plain_save_over_the_limit_gets_a_french_page_and_no_redirect(client, statement, settings):
    settings.USER_THROTTLE_RATES = {**settings.USER_THROTTLE_RATES, "autosave": (1, 60)}
    client.force_login(statement.dossier.candidate)
    _save(client, statement, "Un.")

    response = _save(client, statement, "Deux.")

    assert response.status_code == 429
    assert "Trop d&#x27;enregistrements en peu de temps : celui-ci n&#x27;est pas fait." in response.content.decode()


def test_the_personal_data_archive_is_limited_per_user(client, settings):
    settings.USER_THROTTLE_RATES = {**settings.USER_THROTTLE_RATES, "data_export": (2, 3600)}
    client.force_login(UserFactory())
    url = reverse("accounts:data_export")
    for _ in range(2):
        assert client.get(url)["Content-Type"] == "application/zip"

    response = client.get(url)

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    page = response.content.decode()
    assert "plusieurs fois dans l&#x27;heure" in page
    assert f'href="{reverse("accounts:my_data")}"' in page
