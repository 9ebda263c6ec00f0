"""A dossier's history page in the back office: its certifiers and admins only."""

import html

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from dossiers import services
from dossiers.enums import DossierStatus as S
from dossiers.models import Dossier
from juries import services as jury_services
from juries.enums import JuryRole
from tests.factories import (
    CertifierFactory,
    UserFactory,
    certifier_of,
    dossier_in_state,
    make_certification,
    make_session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cert(db):
    return make_certification(published=True)


@pytest.fixture
def certifier(cert):
    return certifier_of(cert, first_name="Claire", last_name="Certif")


@pytest.fixture
def dossier(cert, certifier):
    """Submitted for validation, after a few writes by the candidate and the certifier's decision."""
    return dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert, certifier_user=certifier)


def url(dossier):
    return reverse("backoffice:dossier_history", args=[dossier.pk])


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def test_the_history_lists_transitions_versions_and_the_candidates_writes_with_their_authors(client, certifier, cert):
    dossier = dossier_in_state(S.ADMISSIBLE, certification=cert, certifier_user=certifier)
    services.add_proof(dossier, _pdf(), title="Fiche de poste", kind="work_document")
    statement = dossier.statements.first()
    services.save_statement(statement, statement.version, {"narrative": "Un récit en cours d'écriture."})
    client.force_login(certifier)

    page = page_of(client.get(url(dossier)))

    assert "Preuve déposée" in page and "preuve non déposée" in page  # named once submitted
    assert "Déclaration de compétence enregistrée" in page and "29 caractères" in page
    assert "Recevabilité demandée" in page or "recevabilité demandée" in page
    assert "Demande de recevabilité : version n°1 figée" in page
    assert "Claire Certif" in page
    assert dossier.candidate.get_full_name() in page
    assert "Un récit en cours" not in page


def test_a_proof_not_yet_submitted_shows_without_its_title_file_or_fingerprint(client, certifier, cert):
    from tests.factories import fill_validation

    dossier = dossier_in_state(S.ADMISSIBLE, certification=cert, certifier_user=certifier)
    proof = services.add_proof(
        dossier, _pdf(), competencies=[dossier.targeted_competencies().first()], title="Lettre privée", kind="other"
    )
    client.force_login(certifier)

    page = page_of(client.get(url(dossier)))
    assert "Preuve déposée" in page and "preuve non déposée" in page
    for detail in ("Lettre privée", "piece.pdf", proof.sha256):
        assert detail not in page, detail

    fill_validation(dossier)
    services.submit_validation(dossier, dossier.candidate)
    page = page_of(client.get(url(dossier)))
    assert "Lettre privée" in page and "piece.pdf" in page


def test_the_history_shows_an_admins_edit_from_the_django_admin(client, dossier, certifier):
    admin = UserFactory(admin=True, first_name="Ada", last_name="Admin")
    LogEntry.objects.log_actions(
        admin.pk, [dossier], CHANGE, change_message=[{"changed": {"fields": ["Blocs visés"]}}], single_object=True
    )
    client.force_login(certifier)
    page = page_of(client.get(url(dossier)))
    assert "Modifié dans l'administration" in page and "Ada Admin" in page and "Blocs visés" in page


def test_coalesced_saves_show_their_count_and_last_time(client, certifier, cert):
    dossier = dossier_in_state(S.ADMISSIBLE, certification=cert, certifier_user=certifier)
    statement = dossier.statements.first()
    version = statement.version
    for text in ("a", "ab", "abc"):
        version = services.save_statement(statement, version, {"narrative": text}).version
    client.force_login(certifier)
    assert "3 enregistrements" in page_of(client.get(url(dossier)))


@pytest.mark.parametrize("role", ["certifier", "admin"])
def test_the_certifier_of_the_organisation_and_an_admin_read_the_history(client, dossier, certifier, role):
    client.force_login(certifier if role == "certifier" else UserFactory(admin=True))
    response = client.get(url(dossier))
    assert response.status_code == 200
    assert response.context["entries"]


def test_a_certifier_of_another_organisation_gets_404(client, dossier):
    other = UserFactory()
    CertifierFactory().staff.add(other)
    client.force_login(other)
    assert client.get(url(dossier)).status_code == 404


def test_the_candidate_and_other_people_get_403_and_no_data(client, dossier, cert, certifier):
    juror = UserFactory()
    session = make_session(cert, actor=certifier)
    jury_services.add_member(session, certifier, email=juror.email, role=JuryRole.PROFESSIONAL)
    for user in (dossier.candidate, UserFactory(), juror):
        client.force_login(user)
        response = client.get(url(dossier))
        assert response.status_code == 403
        assert "Déclaration de compétence" not in response.content.decode()


def test_an_anonymous_visitor_goes_to_the_login_page(client, dossier):
    response = client.get(url(dossier))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_draft_has_no_history_page_for_the_certifier(client, cert, certifier):
    draft = dossier_in_state(S.DRAFT, certification=cert)
    client.force_login(certifier)
    assert client.get(url(draft)).status_code == 404


def test_the_history_needs_the_same_number_of_queries_however_long(
    client, certifier, cert, django_assert_max_num_queries
):
    dossier = dossier_in_state(S.ADMISSIBLE, certification=cert, certifier_user=certifier)
    client.force_login(certifier)
    client.get(url(dossier))  # content types cached
    with django_assert_max_num_queries(20) as ctx:
        client.get(url(dossier))
    few = len(ctx.captured_queries)
    for i in range(4):
        proof = services.add_proof(dossier, _pdf(), title=f"Preuve {i}", kind="other")
        services.update_proof(dossier, proof, competencies=[dossier.targeted_competencies().first()])
    for statement in dossier.statements.all():
        services.save_statement(statement, statement.version, {"narrative": "Récit"})
    LogEntry.objects.log_actions(
        UserFactory(admin=True).pk, [Dossier.objects.get(pk=dossier.pk)], CHANGE, change_message="", single_object=True
    )
    with django_assert_max_num_queries(20) as ctx:
        client.get(url(dossier))
    assert len(ctx.captured_queries) == few


def test_the_review_page_links_to_the_history(client, dossier, certifier):
    client.force_login(certifier)
    page = client.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()
    assert url(dossier) in page


def test_the_django_admin_finds_a_dossiers_events_and_links_to_its_history(client, cert, certifier):
    dossier = dossier_in_state(S.ADMISSIBLE, certification=cert, certifier_user=certifier)
    services.add_proof(dossier, _pdf(), title="Fiche de poste", kind="work_document")
    client.force_login(UserFactory(admin=True))
    change = client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk])).content.decode()
    assert url(dossier) in change
    listing = client.get(reverse("admin:audit_auditevent_changelist"), {"dossier__id__exact": dossier.pk})
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == dossier.audit_events.count() > 0
    search = client.get(reverse("admin:audit_auditevent_changelist"), {"q": dossier.candidate.email})
    assert search.context["cl"].result_count == dossier.audit_events.count()
    assert ContentType.objects.get_for_model(Dossier)  # the admin log and the trail share content types


def _pdf():
    from tests.factories import pdf_upload

    return pdf_upload("piece.pdf")
