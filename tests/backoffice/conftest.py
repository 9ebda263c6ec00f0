import pytest

from dossiers.enums import DossierStatus as S
from juries import services as jury_services
from juries.enums import JuryRole
from tests.factories import certifier_of, dossier_built_in_state, make_certification, make_session, slot


@pytest.fixture
def cert(db):
    return make_certification(published=True, title="Médiation sociale")


@pytest.fixture
def certifier(cert):
    return certifier_of(cert, email="certif@org-a.example")


@pytest.fixture
def other_certifier(db):
    return certifier_of(make_certification(published=True, title="Autre organisme"), email="certif@org-b.example")


@pytest.fixture
def certifier_client(client, certifier):
    client.force_login(certifier)
    return client


@pytest.fixture
def world(cert, certifier):
    """One of everything on ``cert``'s organisation, for scope checks."""
    from certifications import services as cert_services

    draft = cert_services.new_version(cert, certifier)
    block = draft.blocks.get(order=1)
    comp = block.competencies.get(order=1)
    method = draft.assessment_methods.first()
    rubric = block.rubric
    submitted = dossier_built_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)
    validation = dossier_built_in_state(S.VALIDATION_SUBMITTED, certification=cert)
    ready = dossier_built_in_state(S.READY_FOR_JURY, certification=cert)
    waiting = dossier_built_in_state(S.READY_FOR_JURY, certification=cert)
    session = make_session(cert, days=10)
    member = jury_services.add_member(session, certifier, email="jury@org-a.example", role=JuryRole.PROFESSIONAL)
    convocation = jury_services.convoke(session, ready, certifier, **slot(session, "09:00", "10:00"))
    return {
        "cert": cert,
        "draft": draft,
        "block": block,
        "comp": comp,
        "method": method,
        "rubric": rubric,
        "criterion": rubric.criteria.first(),
        "level": rubric.levels.first(),
        "submitted": submitted,
        "validation": validation,
        "ready": ready,
        "waiting": waiting,
        "proof": validation.proofs.first(),
        "session": session,
        "member": member,
        "convocation": convocation,
    }
