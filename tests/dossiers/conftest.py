import pytest

from dossiers import services
from dossiers.enums import DossierStatus as S
from tests.factories import CertifierFactory, UserFactory, dossier_in_state, make_certification, pdf_upload


@pytest.fixture
def certification(db):
    return make_certification(published=True, blocks=2, competencies=3)


@pytest.fixture
def admissible(certification):
    """An admissible dossier with an experience (from stage 1) and one proof in its library."""
    dossier = dossier_in_state(S.ADMISSIBLE, certification=certification)
    services.add_proof(dossier, pdf_upload("bilan.pdf"), title="Bilan", kind="production")
    return dossier


@pytest.fixture
def roles(certification):
    """Everyone who is not the owner, by name."""
    certifier_here = UserFactory()
    certification.certifiers.first().staff.add(certifier_here)
    certifier_elsewhere = UserFactory()
    CertifierFactory().staff.add(certifier_elsewhere)
    return {
        "another candidate": UserFactory(),
        "certifier of this certification": certifier_here,
        "certifier of another": certifier_elsewhere,
        "jury member": UserFactory(),
        "admin": UserFactory(admin=True),
    }
