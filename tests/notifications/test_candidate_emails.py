"""The candidate's e-mails (dossiers, juries): each names the certification, says where the
dossier stands in plain French and what to do next with a link on the real host, quotes the
certifier's comment where one was written, never the dossier's content; one greeting, one
signature (the certifier), French typography; the HTML part says the same."""

import pytest
from django.core import mail

from dossiers import services
from dossiers.enums import DossierStatus as S
from juries import notifications as jury_notifications
from tests.emails import assert_html_says_the_same
from tests.factories import UserFactory, dossier_in_state, make_certification
from tests.notifications.helpers import assert_french_typography, assert_no_dossier_content

pytestmark = pytest.mark.django_db

HOST = "http://127.0.0.1:8080"
COMMENT = "Motif détaillé pour le candidat."


@pytest.fixture(autouse=True)
def _real_host(settings):
    settings.SITE_URL = HOST


@pytest.mark.parametrize(
    ("state", "subject", "says", "next_step", "comment"),
    [
        (
            S.FEASIBILITY_INCOMPLETE,
            "Votre demande de recevabilité est à compléter",
            "elle est à compléter",
            "puis demandez de nouveau la recevabilité",
            COMMENT,
        ),
        (S.INADMISSIBLE, "n'est pas acceptée", "elle n'est pas recevable", "Le détail de la décision", COMMENT),
        (
            S.ADMISSIBLE,
            "Votre demande de VAE est recevable",
            "est recevable",
            "rédiger votre dossier de validation",
            COMMENT,
        ),
        (
            S.VALIDATION_INCOMPLETE,
            "Votre dossier de validation est à compléter",
            "il est à compléter",
            "puis déposez-le de nouveau",
            "Il manque une attestation.",
        ),
        (
            S.READY_FOR_JURY,
            "Votre dossier attend une session de jury",
            "il attend une session de jury",
            "Vous recevrez votre convocation",
            "Il manque une attestation.",
        ),
    ],
)
def test_a_certifiers_decision_email_names_the_certification_the_state_the_next_step_and_the_comment(
    state, subject, says, next_step, comment, django_capture_on_commit_callbacks
):
    candidate = UserFactory(first_name="Léa", last_name="Martin")
    certification = make_certification(published=True, title="Accompagnant éducatif petite enfance")
    certifier_name = str(certification.certifiers.get())
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_in_state(state, candidate=candidate, certification=certification)
    message = mail.outbox[-1]

    assert message.to == [candidate.email]
    assert subject in message.subject and "Accompagnant éducatif petite enfance" in message.subject
    body = message.body
    assert body.startswith("Bonjour Léa Martin,\n")
    assert "Madame, Monsieur" not in body
    assert "certification «\u00a0Accompagnant éducatif petite enfance\u00a0»" in body
    assert says in body and next_step in body
    assert f"{HOST}/dossiers/{dossier.pk}/\n" in body
    assert f"Message du certificateur\u00a0:\n{comment}\n" in body  # what the certifier wrote (the factory's)
    assert body.endswith(f"{certifier_name}, via le Portail VAE\n{HOST}\n")
    assert_no_dossier_content(body)
    assert_french_typography(body)
    assert_french_typography(message.subject)
    assert_html_says_the_same(message)


def test_the_candidates_own_request_is_acknowledged_with_nothing_to_do(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED)
    (message,) = mail.outbox

    assert "Demande de recevabilité transmise" in message.subject
    assert dossier.certification.title in message.body
    assert "Vous n'avez rien à faire d'ici là" in message.body
    assert f"{HOST}/dossiers/{dossier.pk}/" in message.body
    assert "Message du certificateur" not in message.body


def test_a_candidate_who_withdraws_is_not_quoted_their_own_reason(django_capture_on_commit_callbacks):
    candidate = UserFactory()
    dossier = dossier_in_state(S.DRAFT, candidate=candidate)

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(dossier, candidate, "Je déménage à l'étranger.")

    (message,) = mail.outbox
    assert "est abandonné" in message.body
    assert "Je déménage" not in message.body and "Message du certificateur" not in message.body


def test_a_person_whose_name_is_unknown_is_greeted_madame_monsieur(django_capture_on_commit_callbacks):
    candidate = UserFactory(first_name="", last_name="")
    with django_capture_on_commit_callbacks(execute=True):
        dossier_in_state(S.FEASIBILITY_SUBMITTED, candidate=candidate)

    (message,) = mail.outbox
    assert message.body.startswith("Madame, Monsieur,\n")
    assert candidate.email not in message.body


def test_the_result_email_names_the_certification_and_links_to_the_result_on_the_real_host(
    django_capture_on_commit_callbacks,
):
    from tests.juries.helpers import decided, jury_session

    session, members, (conv,) = jury_session()
    decision = decided(session, members, conv)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        jury_notifications.result_available(decision.pk)

    (message,) = mail.outbox
    assert session.certification.title in message.body
    assert f"{HOST}/dossiers/{conv.dossier.pk}/#resultat" in message.body
    assert message.body.endswith(f"{session.certification.certifiers.get()}, via le Portail VAE\n{HOST}\n")
    assert_french_typography(message.body)
    assert_html_says_the_same(message)


def test_the_convocation_email_says_the_time_the_french_way_and_signs_with_the_certifier(
    django_capture_on_commit_callbacks,
):
    from juries import services as jury_services
    from tests.factories import make_session, slot

    session = make_session(days=10)
    dossier = dossier_in_state(S.READY_FOR_JURY, certification=session.certification)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        jury_services.convoke(session, dossier, UserFactory(admin=True), **slot(session, "14:30", "15:30"))

    (message,) = [m for m in mail.outbox if m.to == [dossier.candidate.email]]
    assert "de 14 h 30 à 15 h 30" in message.body
    assert session.certification.title in message.body
    assert "(e)" not in message.body
    assert message.body.endswith(f"{session.certification.certifiers.get()}, via le Portail VAE\n{HOST}\n")
    assert_french_typography(message.body)


def test_a_quarantined_file_email_names_the_certification_and_where_the_dossier_stands(
    django_capture_on_commit_callbacks,
):
    from dossiers import notifications as dossier_notifications

    dossier = dossier_in_state(S.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_notifications.file_quarantined("identity", dossier.pk)

    (message,) = mail.outbox
    assert dossier.certification.title in message.subject
    assert f"certification «\u00a0{dossier.certification.title}\u00a0»" in message.body
    assert "État de votre dossier\u00a0: brouillon." in message.body
    assert f"{HOST}/dossiers/{dossier.pk}/\n" in message.body
    assert_french_typography(message.body)
    assert_html_says_the_same(message)


def test_a_new_jury_member_is_told_the_certification_their_role_the_date_and_what_to_do(
    django_capture_on_commit_callbacks,
):
    from certifications.enums import JuryRole
    from juries import services as jury_services
    from tests.factories import make_session

    session = make_session(days=10, hour=14)
    member_user = UserFactory(first_name="Élise", last_name="Bernard")
    with django_capture_on_commit_callbacks(execute=True):
        jury_services.add_member(session, UserFactory(admin=True), email=member_user.email, role=JuryRole.PROFESSIONAL)

    (message,) = [m for m in mail.outbox if m.to == [member_user.email]]
    body = message.body
    assert body.startswith("Bonjour Élise Bernard,\n")
    assert f"au jury de VAE de la certification «\u00a0{session.certification.title}\u00a0»" in body
    assert "à 14 h 00." in body
    assert "déclarez sur le portail vos liens éventuels avec chaque candidat, puis notez leurs dossiers" in body
    assert f"{HOST}/jury/\n" in body
    assert "(e)" not in body
    assert body.endswith(f"{session.certification.certifiers.get()}, via le Portail VAE\n{HOST}\n")
    assert_french_typography(body)
