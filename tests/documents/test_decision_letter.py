"""The certifier's letter on a demande de recevabilité: asked for with the decision, rendered as a
real PDF that says what was decided, why, and what comes next, read by whom reads the demande."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from documents import services as documents
from documents.enums import DocumentKind
from documents.enums import DocumentStatus as D
from documents.models import GeneratedDocument
from documents.tasks import render_document
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from dossiers.enums import FeasibilitySection
from dossiers.feasibility import deadline, feasibility_of
from tests.factories import CertifierFactory, UserFactory, dossier_in_state, make_certification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr(render_document, "apply_async", lambda *args, **kwargs: None)


def certification_of(legal_name="Ministère du Travail"):
    org = CertifierFactory(legal_name=legal_name, contact_email="vae@certificateur.example")
    return make_certification(published=True, certifier=org, code="RNCP35203", title="Assistant de vie aux familles")


def rendered_letter(dossier) -> tuple[GeneratedDocument, str]:
    (letter,) = GeneratedDocument.objects.filter(dossier=dossier, kind=DocumentKind.FEASIBILITY_DECISION)
    documents.run(letter.pk)
    letter.refresh_from_db()
    assert letter.status == D.DONE, letter.error
    with letter.file.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return letter, " ".join(page.extract_text() for page in reader.pages)


def test_a_recevable_decision_gives_a_letter_naming_the_certification_the_request_and_the_next_step():
    certifier = UserFactory(first_name="Marc", last_name="Lefèvre")
    dossier = dossier_in_state(S.ADMISSIBLE, certification=certification_of(), certifier_user=certifier)

    letter, text = rendered_letter(dossier)

    assert letter.snapshot.kind == "feasibility" and letter.snapshot.number == 1
    assert letter.pages >= 1
    assert "Votre demande est recevable." in text
    assert "RNCP35203" in text and "Assistant de vie aux familles" in text
    assert "dossier de faisabilité n° 1" in text
    assert "Ministère du Travail" in text and "vae@certificateur.example" in text
    assert "12 rue des Lilas" in text and "35000 Rennes" in text  # the address the candidate gave
    assert "Madame," in text and "Madame, Monsieur" not in text  # the civil identity says F
    assert "dossier de validation" in text
    assert "Marc Lefèvre" in text  # who decided, for the certifier
    assert letter.snapshot.sha256 in text.replace("\n", "")


def test_an_incomplete_request_gets_a_letter_with_the_reason_and_the_sections_to_complete():
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=certification_of())
    dossier_services.decide_feasibility(
        dossier,
        UserFactory(),
        S.FEASIBILITY_INCOMPLETE,
        "La pièce d'identité est illisible.",
        sections=[FeasibilitySection.DOCUMENTS, FeasibilitySection.EXPERIENCES],
    )

    _letter, text = rendered_letter(dossier)

    assert "Votre dossier de faisabilité est incomplet." in text
    assert "La pièce d'identité est illisible." in text
    assert "Expériences en lien avec la certification" in text and "Pièces jointes" in text
    assert "deux mois" in text


def test_an_inadmissible_request_gets_a_letter_with_the_reason_and_how_to_contest_it():
    dossier = dossier_in_state(S.INADMISSIBLE, certification=certification_of())

    _letter, text = rendered_letter(dossier)

    assert "Votre demande n'est pas recevable." in text
    assert "Motif détaillé pour le candidat." in text
    assert "réexamen" in text and "tribunal administratif" in text
    assert "année civile" in text and "R6412-3" in text


def test_the_certifiers_silence_gives_a_letter_of_implicit_recevabilite_without_a_signatory():
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=certification_of())
    due = deadline(feasibility_of(dossier).received_at)

    assert dossier_services.record_implicit_admissibility(dossier, now=due + dt.timedelta(minutes=1))

    _letter, text = rendered_letter(dossier)
    assert "Votre demande est recevable (décision implicite)." in text
    assert "L6412-2" in text
    assert "Pour le certificateur" not in text


def test_each_sent_version_gets_its_own_letter_and_the_page_shows_the_latest():
    dossier = dossier_in_state(S.FEASIBILITY_INCOMPLETE, certification=certification_of())
    dossier_services.request_feasibility(dossier, dossier.candidate)
    dossier_services.decide_feasibility(dossier, UserFactory(), S.ADMISSIBLE)

    letters = GeneratedDocument.objects.filter(dossier=dossier, kind=DocumentKind.FEASIBILITY_DECISION)
    assert sorted(letters.values_list("snapshot__number", flat=True)) == [1, 2]
    assert GeneratedDocument.objects.latest_for(dossier, DocumentKind.FEASIBILITY_DECISION).snapshot.number == 2


def test_no_letter_while_the_request_waits_for_a_decision():
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED)

    assert not GeneratedDocument.objects.filter(dossier=dossier, kind=DocumentKind.FEASIBILITY_DECISION).exists()


def _certifier_of(dossier):
    user = UserFactory()
    dossier.certification.certifiers.first().staff.add(user)
    return user


READERS = {
    "the candidate": (lambda d: d.candidate, 200),
    "a certifier of the certification": (_certifier_of, 200),
    "an admin": (lambda d: UserFactory(admin=True), 200),
    "another candidate": (lambda d: dossier_in_state(S.DRAFT).candidate, 404),
    "a certifier of another organisation": (lambda d: _certifier_elsewhere(), 404),
    "a user with no role": (lambda d: UserFactory(), 404),
}


def _certifier_elsewhere():
    user = UserFactory()
    CertifierFactory().staff.add(user)
    return user


@pytest.mark.parametrize("reader", READERS)
def test_the_letter_is_read_by_whom_reads_the_request_only(client, reader):
    dossier = dossier_in_state(S.ADMISSIBLE, certification=certification_of())
    letter, _text = rendered_letter(dossier)
    make_user, expected = READERS[reader]
    client.force_login(make_user(dossier))

    response = client.get(reverse("documents:download", args=[letter.pk]))

    assert response.status_code == expected
    if expected == 200:
        assert f"decision-de-recevabilite-{dossier.pk}-1.pdf" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_candidate_and_the_certifier_find_the_letter_on_their_dossier_pages(client):
    dossier = dossier_in_state(S.ADMISSIBLE, certification=certification_of())
    letter, _text = rendered_letter(dossier)
    download = reverse("documents:download", args=[letter.pk])

    client.force_login(dossier.candidate)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Décision du certificateur sur votre demande de recevabilité" in page and download in page

    client.force_login(_certifier_of(dossier))
    page = client.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()
    assert "Courrier de décision de recevabilité" in page and download in page
