"""The API's documentation page works in a real browser under the site's Content-Security-Policy
(Swagger UI served by the application, no CDN, no blocked script or style)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_developer_reads_the_api_documentation_with_every_operation_listed(page):
    requests = []
    page.on("request", lambda r: requests.append(r.url))

    page.goto("/api/v1/docs/")

    page.get_by_text("/api/v1/candidatures", exact=True).first.wait_for()
    assert page.locator(".opblock").count() > 10
    origin = page.url.split("/api/")[0]
    assert all(url.startswith(origin) or url.startswith("data:") for url in requests), requests
