"""What every e-mail test can check of a sent message: it has an HTML part that says the same as
its text, with the same links (core.emails renders one from the other)."""

import re
from html.parser import HTMLParser

from django.core.mail import EmailMultiAlternatives

URL = re.compile(r"https?://\S+")


class _Reader(HTMLParser):
    """The words and the links of an HTML body (what a reader sees and can follow)."""

    def __init__(self):
        super().__init__()
        self.in_body = False
        self.words: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        elif tag == "a" and self.in_body:
            self.links.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag == "body":
            self.in_body = False

    def handle_data(self, data):
        if self.in_body:
            self.words.extend(data.split())


def html_part(message) -> str:
    """The HTML alternative of ``message`` (it has exactly one)."""
    assert isinstance(message, EmailMultiAlternatives)
    (html,) = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return html


def assert_html_says_the_same(message) -> str:
    """``message`` has an HTML part with the same words and the same links as its text, in the
    same order; returns that HTML part."""
    html = html_part(message)
    reader = _Reader()
    reader.feed(html)
    assert reader.links == URL.findall(message.body)
    assert reader.links, "an e-mail always links to the portal"
    assert reader.words == message.body.split()
    return html
