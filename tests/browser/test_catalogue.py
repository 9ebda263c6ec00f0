import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_searches_the_catalogue_and_reads_a_certification(page, reference_certifications):
    page.goto("/certifications/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Certifications ouvertes à la VAE")

    page.get_by_label("Rechercher").fill("RNCP41296")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name=re.compile("Manager en organisation de solidarité")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Manager en organisation de solidarité")
    expect(page.get_by_role("heading", name=re.compile("RNCP41296BC03"))).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
