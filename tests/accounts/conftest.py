import re
from urllib.parse import urlsplit

import pytest

from tests.factories import PASSWORD

SIGNUP_DATA = {
    "email": "Nina@Example.org",
    "first_name": "Nina",
    "last_name": "Simoné",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


@pytest.fixture
def signup_data():
    return dict(SIGNUP_DATA)


def link_path(message) -> str:
    """The path of the only link in a plain-text e-mail, to follow it with the test client."""
    urls = re.findall(r"https?://\S+", message.body)
    links = [url for url in urls if urlsplit(url).path not in ("", "/")]
    assert len(links) == 1, message.body
    return urlsplit(links[0]).path
