"""The one door for files: default deny, the page's audience, and what a grant carries."""

from types import SimpleNamespace

import pytest
from django.http import Http404

from core import file_access

ALICE = SimpleNamespace(pk=1, is_authenticated=True)
ANONYMOUS = SimpleNamespace(pk=None, is_authenticated=False)


@pytest.fixture
def kind():
    name = "test_file"
    yield name
    for audience in file_access.AUDIENCES:
        file_access._rules.pop((name, audience), None)


def test_a_kind_nobody_registered_is_read_by_nobody(kind):
    assert not file_access.may_read(ALICE, kind, object(), as_=file_access.AUDIENCES)
    with pytest.raises(Http404):
        file_access.grant_or_404(ALICE, kind, object(), as_="candidate")


def test_a_rule_answers_only_on_the_pages_it_was_registered_for(kind):
    file_access.register(kind, lambda user, obj: True, as_="certifier")

    assert file_access.may_read(ALICE, kind, object(), as_="certifier")
    assert not file_access.may_read(ALICE, kind, object(), as_="candidate")


def test_an_anonymous_visitor_reads_nothing_whatever_the_rule(kind):
    file_access.register(kind, lambda user, obj: True, as_="candidate")

    assert not file_access.may_read(ANONYMOUS, kind, object(), as_="candidate")


def test_the_first_audience_that_accepts_gives_its_hold_and_its_audit(kind):
    reads = []
    file_access.register(kind, lambda user, obj: obj["owner"] == user.pk, as_="candidate")
    file_access.register(
        kind,
        lambda user, obj: True,
        as_="jury",
        is_open=lambda obj: obj["clean"],
        on_read=lambda user, obj: reads.append((user.pk, obj["owner"])),
    )

    own = file_access.grant_or_404(ALICE, kind, {"owner": 1, "clean": False}, as_=("candidate", "jury"))
    assert (own.audience, own.is_open, own.on_read) == ("candidate", True, None)

    other = file_access.grant_or_404(ALICE, kind, {"owner": 2, "clean": False}, as_=("candidate", "jury"))
    assert (other.audience, other.is_open) == ("jury", False)
    other.on_read()
    assert reads == [(1, 2)]


def test_an_unknown_audience_is_refused_at_registration(kind):
    with pytest.raises(ValueError):
        file_access.register(kind, lambda user, obj: True, as_="everyone")
