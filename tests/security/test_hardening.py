import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_every_page_sends_a_content_security_policy_without_inline_scripts(client):
    response = client.get(reverse("certifications:catalogue"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_carry_no_inline_script(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    import re

    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts, "the page loads its scripts"
    assert all("src=" in attrs and not body.strip() for attrs, body in scripts)


def test_an_account_is_locked_after_repeated_failures_with_a_french_page(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(email="cible@example.org")
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "cible@example.org", "password": "mauvais"})

    response = client.post(url, {"username": "cible@example.org", "password": PASSWORD})

    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_correct_password_resets_the_failure_count(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(email="distrait@example.org")
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"username": "distrait@example.org", "password": "mauvais"})
    assert client.post(url, {"username": "distrait@example.org", "password": PASSWORD}).status_code == 302


def test_logged_in_pages_carry_the_session_length_for_the_expiry_warning(client, settings):
    client.force_login(UserFactory())
    page = client.get(reverse("home")).content.decode()
    expected = settings.SESSION_COOKIE_AGE - settings.SESSION_REFRESH_SECONDS
    assert f'data-session-seconds="{expected}"' in page
    assert "Votre session expire dans moins de cinq minutes" in page


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [(0, "6.6.6.6", "10.0.0.1", "10.0.0.1"), (1, "6.6.6.6, 203.0.113.7", "10.0.0.1", "203.0.113.7")],
)
def test_the_client_address_ignores_forged_forwarding_headers(rf, settings, proxies, forwarded, remote, expected):
    from core.http import client_ip

    settings.PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


@pytest.mark.parametrize(
    "path",
    ["/", "/accounts/login/", "/healthz", "/dossiers/", "/nulle-part/", "/static/js/autosave.js"],
    ids=["page", "form", "json", "redirect to login", "not found", "static file"],
)
def test_every_response_carries_a_restrictive_permissions_policy(client, path):
    response = client.get(path)

    policy = dict(item.strip().split("=", 1) for item in response.headers["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort", "browsing-topics"):
        assert policy[feature] == "()"
    assert set(policy.values()) == {"()"}
