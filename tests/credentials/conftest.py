from dataclasses import dataclass

import pytest

from credentials.tasks import issue_session_badges
from juries.enums import JuryRole
from tests.factories import UserFactory, certifier_of
from tests.juries.helpers import decided, four_level_certification, jury_session, sign_all


@pytest.fixture(autouse=True)
def _badges_issued_at_once(monkeypatch):
    """The issuing job runs in the test's process as soon as it is queued (after the commit)."""
    monkeypatch.setattr(issue_session_badges, "delay", lambda session_id: issue_session_badges.apply((session_id,)))


@dataclass
class Awarded:
    certification: object
    session: object
    members: list
    convocation: object
    decision: object
    certifier: object

    @property
    def candidate(self):
        return self.convocation.dossier.candidate


def award(django_capture_on_commit_callbacks, validated=True, final=True) -> Awarded:
    cert = four_level_certification()
    certifier = certifier_of(cert, email=f"certif-{cert.pk}@org.example")
    session, members, (conv,) = jury_session(cert, roles=(JuryRole.PRESIDENT, JuryRole.PROFESSIONAL), actor=certifier)
    if validated == "first bloc only":
        from juries import queries

        items = queries.assessed_items(conv.dossier)
        validated = {item.key: index == 0 for index, item in enumerate(items)}
    decision = decided(session, members, conv, validated)
    if final:
        with django_capture_on_commit_callbacks(execute=True):
            sign_all(session, members)
    return Awarded(cert, session, members, conv, decision, certifier)


@pytest.fixture
def awarded(db, django_capture_on_commit_callbacks):
    """A candidate whose jury validated both blocs of a certification, procès-verbal final."""
    return award(django_capture_on_commit_callbacks)


@pytest.fixture
def roles(awarded):
    """Every role of the access tests, around ``awarded``."""
    other_cert = four_level_certification()
    _s, jury_members, _c = jury_session(awarded.certification, roles=(JuryRole.PROFESSIONAL,), candidates=0, days=5)
    return {
        "owner": awarded.candidate,
        "other_candidate": UserFactory(email="autre-candidat@example.org"),
        "certifier": awarded.certifier,
        "other_certifier": certifier_of(other_cert, email="autre-certif@org.example"),
        "jury_member": awarded.members[0].user,
        "other_jury_member": jury_members[0].user,
        "admin": UserFactory(email="admin@example.org", admin=True),
        "anonymous": None,
    }
