import pytest

from dossiers.enums import DossierStatus as S
from tests.factories import UserFactory, certifier_of, dossier_in_state, make_certification


@pytest.fixture
def certification(db):
    return make_certification(published=True, blocks=1, competencies=2)


@pytest.fixture
def certifier(certification):
    return certifier_of(certification, first_name="Claire", last_name="Dupont")


@pytest.fixture
def candidate(db):
    return UserFactory(first_name="Léa", last_name="Martin")


@pytest.fixture
def dossier(certification, certifier, candidate):
    """A recevabilité request waiting for the certifier."""
    return dossier_in_state(
        S.FEASIBILITY_SUBMITTED, candidate=candidate, certification=certification, certifier_user=certifier
    )
