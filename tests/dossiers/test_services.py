import pytest
from django.core import mail
from django.utils import timezone

from dossiers import services
from dossiers.enums import DossierStatus as S
from dossiers.models import TRANSITIONS, Dossier, Snapshot, TransitionLog
from tests.emails import assert_html_says_the_same
from tests.factories import (
    UserFactory,
    dossier_in_state,
    fill_feasibility,
    fill_validation,
    make_certification,
)

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def certifier():
    return UserFactory(admin=True)


def test_a_candidate_starts_a_draft_on_the_published_version_with_one_statement_per_competence():
    cert = make_certification(published=True, blocks=2, competencies=3)
    candidate = UserFactory()

    dossier = services.start_dossier(candidate, cert)

    assert dossier.status == S.DRAFT
    assert dossier.targets_all_blocks
    assert dossier.statements.count() == 6


def test_a_partial_vae_targets_only_the_chosen_blocs():
    cert = make_certification(published=True, blocks=3, competencies=2)
    block = cert.blocks.get(order=2)

    dossier = services.start_dossier(UserFactory(), cert, [block])

    assert not dossier.targets_all_blocks
    assert list(dossier.targeted_blocks()) == [block]
    assert dossier.statements.count() == 2


def test_a_draft_certification_cannot_be_targeted():
    with pytest.raises(services.DossierError, match="publiée"):
        services.start_dossier(UserFactory(), make_certification())


def test_a_second_active_dossier_on_the_same_certification_is_refused():
    cert = make_certification(published=True)
    candidate = UserFactory()
    services.start_dossier(candidate, cert)

    with pytest.raises(services.DossierError, match="déjà un dossier en cours"):
        services.start_dossier(candidate, cert)


def test_after_withdrawal_a_new_dossier_may_start():
    dossier = dossier_in_state(S.WITHDRAWN)
    again = services.start_dossier(dossier.candidate, dossier.certification)
    assert again.pk != dossier.pk


def test_requesting_feasibility_lists_everything_missing_with_links():
    dossier = services.start_dossier(UserFactory(), make_certification(published=True, blocks=1, competencies=2))

    with pytest.raises(services.IncompleteDossier) as exc:
        services.request_feasibility(dossier, dossier.candidate)

    # The dossier de faisabilité's sections, in the model's order; this certification has neither
    # option nor prerequisite; the self-positioning is a help, not a requirement.
    sections = [m.section for m in exc.value.missing]
    assert list(dict.fromkeys(sections)) == ["nature", "candidate", "experiences", "blocks", "documents", "signature"]
    assert all(m.url.startswith(f"/dossiers/{dossier.pk}/") for m in exc.value.missing)
    dossier.refresh_from_db()
    assert dossier.status == S.DRAFT


def test_requesting_feasibility_freezes_a_snapshot_logs_and_emails_links_only(
    django_capture_on_commit_callbacks,
):
    dossier = services.start_dossier(UserFactory(), make_certification(published=True))
    fill_feasibility(dossier)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_feasibility(dossier, dossier.candidate)

    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED
    assert dossier.feasibility_submitted_at is not None
    assert Snapshot.objects.get(dossier=dossier).kind == "feasibility"
    assert TransitionLog.objects.filter(dossier=dossier, to_status=S.FEASIBILITY_SUBMITTED).count() == 1
    (message,) = mail.outbox
    assert message.to == [dossier.candidate.email]
    assert "Demande de recevabilité transmise" in message.subject
    assert f"/dossiers/{dossier.pk}/" in message.body
    assert "Association Les Ateliers" not in message.body
    assert "Association Les Ateliers" not in assert_html_says_the_same(message)


@pytest.mark.parametrize("decision", [S.FEASIBILITY_INCOMPLETE, S.INADMISSIBLE])
def test_a_negative_feasibility_decision_needs_a_reason(decision, certifier):
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED)
    with pytest.raises(services.DossierError, match="motif"):
        services.decide_feasibility(dossier, certifier, decision, "  ")


def test_an_incomplete_feasibility_request_can_be_completed_and_requested_again(certifier):
    dossier = dossier_in_state(S.FEASIBILITY_INCOMPLETE)

    services.request_feasibility(dossier, dossier.candidate)

    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED
    assert dossier.snapshots.filter(kind="feasibility").count() == 2


def test_submitting_the_validation_dossier_requires_narratives_and_support_per_competence():
    dossier = dossier_in_state(S.ADMISSIBLE)
    statement = dossier.statements.first()
    statement.narrative = "Trop court."
    statement.save()

    with pytest.raises(services.IncompleteDossier) as exc:
        services.submit_validation(dossier, dossier.candidate)

    texts = " ".join(m.message for m in exc.value.missing)
    assert "11 caractères, 300 au moins" in texts
    assert "reliez au moins une preuve ou une expérience" in texts


def test_each_submission_of_the_validation_dossier_keeps_its_own_snapshot(certifier):
    dossier = dossier_in_state(S.VALIDATION_INCOMPLETE)
    statement = dossier.statements.first()
    statement.narrative += " J'ajoute le bilan financier demandé par le certificateur."
    statement.save()

    second = services.submit_validation(dossier, dossier.candidate)

    first = Snapshot.objects.get(dossier=dossier, kind="validation", number=1)
    assert second.number == 2
    assert first.sha256 != second.sha256
    assert "bilan financier" in str(second.content) and "bilan financier" not in str(first.content)
    assert all(p["sha256"] for p in second.content["proofs"])


def test_the_snapshot_does_not_move_when_the_draft_does():
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED)
    snapshot = dossier.snapshots.get(kind="validation")
    before = snapshot.content

    dossier.statements.update(narrative="changé après coup")

    snapshot.refresh_from_db()
    assert snapshot.content == before


@pytest.mark.parametrize("state", [S.DRAFT, S.FEASIBILITY_INCOMPLETE, S.ADMISSIBLE, S.VALIDATION_INCOMPLETE])
def test_a_candidate_can_withdraw_before_the_jury(state):
    dossier = dossier_in_state(state)
    services.withdraw(dossier, dossier.candidate, "Je change de projet.")
    dossier.refresh_from_db()
    assert dossier.status == S.WITHDRAWN


@pytest.mark.parametrize("state", [S.FEASIBILITY_SUBMITTED, S.READY_FOR_JURY, S.INADMISSIBLE])
def test_withdrawal_is_refused_while_a_decision_is_pending_or_after_the_end(state):
    dossier = dossier_in_state(state)
    with pytest.raises(services.DossierError):
        services.withdraw(dossier, dossier.candidate)


def test_every_state_reached_through_the_services_is_consistent_with_the_transition_table():
    for state in [S.DRAFT, S.INADMISSIBLE, S.READY_FOR_JURY, S.WITHDRAWN]:
        dossier = dossier_in_state(state)
        logs = list(dossier.transitions.order_by("pk"))
        for log in logs[1:]:
            assert log.to_status in TRANSITIONS[log.from_status]
        assert logs[-1].to_status == state


def test_a_fourth_feasibility_request_in_a_calendar_year_is_refused():
    candidate = UserFactory()
    for _ in range(3):
        dossier = services.start_dossier(candidate, make_certification(published=True))
        fill_feasibility(dossier)
        services.request_feasibility(dossier, candidate)

    with pytest.raises(services.DossierError, match="trois certifications différentes"):
        services.start_dossier(candidate, make_certification(published=True))


def test_a_second_request_on_the_same_certification_in_the_calendar_year_is_refused(certifier):
    dossier = dossier_in_state(S.INADMISSIBLE)
    with pytest.raises(services.DossierError, match="une par année civile pour une même certification"):
        services.start_dossier(dossier.candidate, dossier.certification)


def test_a_request_on_the_same_certification_in_a_later_calendar_year_is_allowed(certifier):
    dossier = dossier_in_state(S.INADMISSIBLE)
    last_year = timezone.now().replace(year=timezone.now().year - 1)
    Dossier.objects.filter(pk=dossier.pk).update(feasibility_submitted_at=last_year)
    services.check_request_limits(dossier.candidate, dossier.certification)


def test_a_stale_save_is_a_conflict_that_keeps_both_texts():
    dossier = dossier_in_state(S.ADMISSIBLE)
    statement = dossier.statements.first()
    base = statement.version
    services.save_statement(statement, base, {"narrative": "Texte de l'onglet A"})

    with pytest.raises(services.StatementConflict) as exc:
        services.save_statement(statement, base, {"narrative": "Texte de l'onglet B"})

    assert exc.value.theirs["narrative"] == "Texte de l'onglet A"
    assert exc.value.mine["narrative"] == "Texte de l'onglet B"
    statement.refresh_from_db()
    assert statement.narrative == "Texte de l'onglet A"
    assert statement.version == base + 1


def test_statements_are_read_only_once_submitted():
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED)
    statement = dossier.statements.first()
    with pytest.raises(services.DossierError, match="plus modifiable"):
        services.save_statement(statement, statement.version, {"narrative": "x"})


def test_the_narrative_waits_for_admissibility():
    dossier = services.start_dossier(UserFactory(), make_certification(published=True))
    statement = dossier.statements.first()
    with pytest.raises(services.DossierError, match="recevabilité"):
        services.save_statement(statement, statement.version, {"narrative": "x"})
    services.save_statement(statement, statement.version, {"self_assessment": "partly", "self_comment": "ok"})


@pytest.mark.parametrize(
    ("narrative", "support", "state"),
    [
        ("", False, "empty"),
        ("abc", False, "in_progress"),
        ("x" * 300, False, "in_progress"),
        ("x" * 299, True, "in_progress"),
        ("x" * 300, True, "complete"),
    ],
)
def test_statement_state_follows_length_and_support(narrative, support, state):
    assert services.statement_state(narrative, support, 300) == state


def test_fill_helpers_make_a_submittable_dossier():
    dossier = dossier_in_state(S.ADMISSIBLE)
    fill_validation(dossier)
    assert services.validation_missing(dossier) == []
