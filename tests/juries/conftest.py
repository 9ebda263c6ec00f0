from dataclasses import dataclass

import pytest

from juries import queries, services
from juries.enums import JuryRole, LinkKind
from tests.factories import UserFactory, certifier_of
from tests.juries.helpers import four_level_certification, jury_session


@dataclass
class Jury:
    session: object
    president: object
    pro: object
    conflicted: object
    convocation: object
    other_convocation: object
    stranger: object  # sits on another session of the same certification
    certifier: object

    @property
    def dossier(self):
        return self.convocation.dossier

    def rubric(self, index=0):
        return queries.assessed_items(self.dossier)[index].rubric


@pytest.fixture
def jury(db):
    """A session held today: a président, a professional, a trainer who declared a link with the
    first candidate; two candidates; a member of another session; a certifier."""
    cert = four_level_certification()
    certifier = certifier_of(cert, email="certif@org.example")
    session, (president, pro, conflicted), (conv, other_conv) = jury_session(
        cert, roles=(JuryRole.PRESIDENT, JuryRole.PROFESSIONAL, JuryRole.TRAINER), candidates=2, actor=certifier
    )
    services.declare_link(conflicted, conv, LinkKind.PROFESSIONAL, "Ancien employeur")
    _other, (stranger,), _ = jury_session(cert, roles=(JuryRole.PROFESSIONAL,), candidates=0, days=5)
    return Jury(session, president, pro, conflicted, conv, other_conv, stranger, certifier)


@pytest.fixture
def login(client):
    def as_(user_or_member):
        user = getattr(user_or_member, "user", user_or_member)
        client.force_login(user)
        return client

    return as_


@pytest.fixture
def someone():
    return UserFactory(email="quelqu-un@example.org")
