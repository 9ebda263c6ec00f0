import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_logs_in_and_reads_a_certification_under_the_content_security_policy(page, reference_certifications):
    UserFactory(email="admin@example.org", admin=True)
    page.goto("/accounts/login/?next=/admin/certifications/certification/")
    page.get_by_label("Adresse e-mail").fill("admin@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.get_by_role("link", name=re.compile("Manager en organisation de solidarité")).click()

    expect(page.get_by_text("RNCP41296BC04").first).to_be_visible()
    expect(page.locator("#content h1")).to_be_visible()
