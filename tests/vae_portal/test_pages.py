"""The portal's own pages: error pages in French, the accessibility statement, the site map."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import UserFactory, certifier_of, make_certification

pytestmark = pytest.mark.django_db


def test_a_wrong_address_gives_a_french_page_with_a_way_back(client):
    response = client.get("/cette-page-n-existe-pas/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in page
    assert 'href="/"' in page and reverse("sitemap") in page
    assert "Not Found" not in page


def test_a_forbidden_page_says_so_in_french(client):
    candidate = UserFactory()
    client.force_login(candidate)
    # The certifier's space refuses anyone who is not a certifier.
    response = client.get(reverse("backoffice:dashboard"))

    assert response.status_code in (403, 404)
    page = response.content.decode()
    assert "Accès refusé" in page or "Page introuvable" in page


def test_a_form_sent_without_its_csrf_token_gives_a_french_page_with_a_way_back():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "a@example.org", "password": "x"})

    page = response.content.decode()
    assert response.status_code == 403
    assert "Le formulaire a expiré" in page
    assert reverse("home") in page


def test_the_server_error_page_is_static_french_html():
    from django.template.loader import get_template

    template = get_template("500.html")
    html = template.render({})

    assert "Une erreur est survenue" in html
    assert "{%" not in template.template.source and "{{" not in template.template.source


def test_every_page_links_to_the_accessibility_statement_and_the_site_map(client):
    page = client.get(reverse("home")).content.decode()

    assert "Accessibilité : non conforme" in page
    assert f'href="{reverse("accessibility")}"' in page
    assert f'href="{reverse("sitemap")}"' in page


def test_the_accessibility_statement_follows_the_rgaa_model(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "a11y@portail.example"

    page = client.get(reverse("accessibility")).content.decode()

    for section in (
        "État de conformité",
        "Contenus non accessibles",
        "Retour d’information et contact",
        "Voies de recours",
    ):
        assert section in page
    assert "mailto:a11y@portail.example" in page


def test_the_site_map_lists_the_spaces_the_user_has(client):
    cert = make_certification(published=True)
    certifier = certifier_of(cert)

    anonymous = client.get(reverse("sitemap")).content.decode()
    client.force_login(certifier)
    as_certifier = client.get(reverse("sitemap")).content.decode()

    assert reverse("login") in anonymous and reverse("backoffice:dashboard") not in anonymous
    assert reverse("backoffice:dashboard") in as_certifier and reverse("dossiers:list") in as_certifier


def test_the_browser_s_favicon_request_finds_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith(".svg")


@override_settings(DEBUG=False)
def test_the_htmx_csrf_header_is_a_valid_data_attribute(client):
    page = client.get(reverse("home")).content.decode()

    assert "<body data-hx-headers=" in page
    assert " hx-headers=" not in page
