"""The candidate writes added to the service layer: each refused once the dossier is frozen."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers import services
from dossiers.enums import DossierStatus as S
from dossiers.models import Experience
from dossiers.uploads import UploadRejected
from tests.factories import MINIMAL_PDF, UserFactory, dossier_in_state, make_certification, pdf_upload

pytestmark = pytest.mark.django_db


def _experience(**fields):
    defaults = {
        "kind": "employee",
        "organisation": "Org",
        "role": "Rôle",
        "start_date": dt.date(2020, 1, 1),
        "hours_per_week": 20,
        "activities": "Activités",
    }
    return Experience(**{**defaults, **fields})


def test_experiences_are_appended_in_order_and_moved_up_and_down():
    dossier = services.start_dossier(UserFactory(), make_certification(published=True))
    a = services.save_experience(dossier, _experience(role="A"))
    b = services.save_experience(dossier, _experience(role="B"))
    c = services.save_experience(dossier, _experience(role="C"))

    services.move_experience(dossier, c, -1)
    assert [e.role for e in dossier.experiences.order_by("order")] == ["A", "C", "B"]
    services.move_experience(dossier, a, -1)  # already first: nothing moves
    services.move_experience(dossier, b, +1)  # already last
    assert [e.role for e in dossier.experiences.order_by("order")] == ["A", "C", "B"]


def test_an_experience_ending_before_it_starts_is_refused_by_the_model_too():
    from django.core.exceptions import ValidationError

    dossier = services.start_dossier(UserFactory(), make_certification(published=True))
    with pytest.raises(ValidationError):
        services.save_experience(dossier, _experience(end_date=dt.date(2019, 1, 1)))


@pytest.mark.parametrize("state", [S.FEASIBILITY_SUBMITTED, S.VALIDATION_SUBMITTED, S.WITHDRAWN])
def test_experiences_are_frozen_outside_the_editing_states(state):
    dossier = dossier_in_state(state)
    with pytest.raises(services.DossierError):
        services.save_experience(dossier, _experience())


def test_the_sworn_statement_and_identity_document_are_stage_1_only():
    dossier = dossier_in_state(S.ADMISSIBLE)
    with pytest.raises(services.DossierError, match="recevabilité est acquise"):
        services.sign_sworn_statement(dossier, False)
    with pytest.raises(services.DossierError):
        services.set_identity_document(dossier, pdf_upload())


def test_replacing_the_identity_document_deletes_the_old_file_once_committed(django_capture_on_commit_callbacks):
    dossier = services.start_dossier(UserFactory(), make_certification(published=True))
    services.set_identity_document(dossier, pdf_upload("a.pdf"))
    dossier.refresh_from_db()
    old = dossier.identity_document.name

    with django_capture_on_commit_callbacks(execute=True):
        services.set_identity_document(dossier, pdf_upload("b.pdf"))

    dossier.refresh_from_db()
    assert dossier.identity_document_name == "b.pdf"
    assert not dossier.identity_document.storage.exists(old)


def test_proofs_wait_for_admissibility():
    dossier = services.start_dossier(UserFactory(), make_certification(published=True))
    with pytest.raises(services.DossierError, match="recevabilité acquise"):
        services.add_proof(dossier, pdf_upload(), title="x", kind="other")


def test_a_proof_counts_against_the_dossier_quota(settings):
    dossier = dossier_in_state(S.ADMISSIBLE)
    settings.DOSSIER_QUOTA_BYTES = len(MINIMAL_PDF) * 2
    services.add_proof(dossier, pdf_upload(), title="1", kind="other")
    services.add_proof(dossier, pdf_upload(), title="2", kind="other")
    with pytest.raises(UploadRejected, match="dépasserait"):
        services.add_proof(dossier, pdf_upload(), title="3", kind="other")
    assert dossier.proofs.count() == 2


def _pdf(pages: int, name: str = "preuve.pdf"):
    from tests.documents.helpers import text_pdf

    return SimpleUploadedFile(name, text_pdf([f"Page {n}" for n in range(pages)]))


def test_a_proof_pdf_counts_its_pages_against_the_dossier_total_at_upload(settings):
    from tests.documents.helpers import image_bytes

    dossier = dossier_in_state(S.ADMISSIBLE)
    settings.DOSSIER_MAX_PROOF_PAGES = 6
    first = services.add_proof(dossier, _pdf(3), title="1", kind="other")
    photo = services.add_proof(dossier, SimpleUploadedFile("photo.png", image_bytes()), title="2", kind="other")
    assert (first.pages, photo.pages) == (3, 1)

    with pytest.raises(
        UploadRejected, match=r"Avec ce fichier \(3 pages\), les preuves du dossier compteraient 7 pages"
    ):
        services.add_proof(dossier, _pdf(3), title="3", kind="other")
    assert dossier.proofs.count() == 2
    services.add_proof(dossier, _pdf(2), title="4", kind="other")  # exactly at the limit


def test_a_proof_pdf_over_the_page_limit_is_refused_at_upload(settings):
    dossier = dossier_in_state(S.ADMISSIBLE)
    settings.PROOF_MAX_PAGES = 4
    with pytest.raises(UploadRejected, match="Ce PDF compte 5 pages ; 4 au plus"):
        services.add_proof(dossier, _pdf(5), title="x", kind="other")
    assert not dossier.proofs.exists()


def test_submission_is_refused_while_the_proofs_add_too_many_pages(settings):
    """Proofs uploaded before pages were counted (no count stored) are counted at submission."""
    from tests.documents.helpers import add_proof, text_pdf
    from tests.factories import fill_validation

    dossier = dossier_in_state(S.ADMISSIBLE)
    fill_validation(dossier)  # a one-page proof
    old = add_proof(dossier, text_pdf(["a", "b", "c", "d"]), "ancienne.pdf", "application/pdf")
    assert old.pages is None
    settings.DOSSIER_MAX_PROOF_PAGES = 4

    with pytest.raises(services.IncompleteDossier) as refused:
        services.submit_validation(dossier, dossier.candidate)

    messages = [m.message for m in refused.value.missing]
    assert any(
        "Vos preuves ajoutent 5 pages au dossier de validation, qui en reproduit 4 au plus" in m for m in messages
    )
    dossier.refresh_from_db()
    assert dossier.status == S.ADMISSIBLE
    settings.DOSSIER_MAX_PROOF_PAGES = 5
    services.submit_validation(dossier, dossier.candidate)
    old.refresh_from_db()
    assert old.pages == 4  # counted once, kept


def test_a_proof_links_only_to_targeted_competences():
    cert = make_certification(published=True, blocks=2)
    dossier = dossier_in_state(S.ADMISSIBLE, certification=cert, blocks=[cert.blocks.get(order=1)])
    outside = cert.blocks.get(order=2).competencies.first()
    with pytest.raises(services.DossierError, match="pas visée"):
        services.add_proof(dossier, pdf_upload(), title="x", kind="other", competencies=[outside])
    assert not dossier.proofs.exists()


def test_a_file_with_a_misleading_name_is_stored_under_its_true_type():
    dossier = dossier_in_state(S.ADMISSIBLE)
    proof = services.add_proof(
        dossier, SimpleUploadedFile("../../etc/passwd.png", MINIMAL_PDF), title="x", kind="other"
    )
    assert proof.original_name == "passwd.pdf"
    assert proof.content_type == "application/pdf"
    assert proof.file.name.startswith(f"proofs/{dossier.pk}/")


def test_saving_links_does_not_count_as_a_text_version():
    dossier = dossier_in_state(S.ADMISSIBLE)
    statement = dossier.statements.first()
    version = statement.version

    services.save_statement(statement, version, {}, experiences=list(dossier.experiences.all()))

    statement.refresh_from_db()
    assert statement.version == version
    assert statement.experiences.count() == 1


def test_links_are_refused_before_admissibility():
    dossier = services.start_dossier(UserFactory(), make_certification(published=True))
    statement = dossier.statements.first()
    with pytest.raises(services.DossierError):
        services.save_statement(statement, statement.version, {}, proofs=[])
