"""The jury's work through juries.services: declarations, scorings, decisions, revocation,
the procès-verbal and the blocs acquired for life."""

import datetime as dt
import logging

import pytest
from django.utils import timezone

from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from juries import queries, services
from juries.acquired import validated_blocks
from juries.enums import (
    Attendance,
    ConvocationStatus,
    EvaluationStatus,
    JuryDocumentKind,
    JuryResult,
    JuryRole,
    LinkKind,
    MinutesStatus,
    SessionStatus,
)
from juries.models import ConflictDeclaration, Decision, JuryDocument
from juries.services import JuryError
from tests.factories import dossier_in_state, fill_feasibility, fill_validation
from tests.juries.helpers import (
    choose,
    decided,
    decisions,
    declare_none,
    four_level_certification,
    jury_session,
    move_session,
    score_everything,
    sign_all,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    """A session held today: a président and a professional, one candidate targeting both blocs."""
    session, members, (convocation,) = jury_session()
    president, pro = members
    return session, president, pro, convocation


def rubric_of(convocation, index=0):
    return queries.assessed_items(convocation.dossier)[index].rubric


# --- conflict declarations ----------------------------------------------------------------


def test_a_member_declares_no_link_then_may_declare_one_but_never_withdraw_it(today):
    session, president, pro, conv = today
    services.declare_link(pro, conv, LinkKind.NONE)
    services.declare_link(pro, conv, LinkKind.PROFESSIONAL, "Ancienne collègue")
    declaration = ConflictDeclaration.objects.get(member=pro, convocation=conv)
    assert declaration.is_conflict and declaration.comment == "Ancienne collègue"
    with pytest.raises(JuryError, match="ne peut pas être retirée"):
        services.declare_link(pro, conv, LinkKind.NONE)


def test_another_link_needs_a_comment(today):
    _session, _president, pro, conv = today
    with pytest.raises(JuryError, match="Précisez"):
        services.declare_link(pro, conv, LinkKind.OTHER, "  ")


def test_a_member_of_another_session_cannot_declare_on_this_candidate(today):
    _session, _president, _pro, conv = today
    _other, (stranger, *_), _ = jury_session(candidates=0)
    with pytest.raises(JuryError, match="ne siégez pas"):
        services.declare_link(stranger, conv, LinkKind.NONE)


# --- scoring ------------------------------------------------------------------------------


def test_a_scoring_saves_as_it_goes_and_a_stale_save_is_a_conflict_not_an_overwrite(today):
    _session, _president, pro, conv = today
    declare_none([pro], conv)
    rubric = rubric_of(conv)
    first, second = rubric.criteria.order_by("order")
    level = rubric.levels.order_by("order").last()
    saved = services.save_evaluation(pro, conv, rubric, 0, {f"level-{first.pk}": str(level.pk)})
    assert saved.version == 1
    saved = services.save_evaluation(pro, conv, rubric, 1, {"comment": "Bon bloc"})
    assert saved.version == 2
    # A tab still at version 1 changes the first criterion's remark: refused, both kept.
    with pytest.raises(services.EvaluationConflict) as exc:
        services.save_evaluation(pro, conv, rubric, 1, {f"remark-{first.pk}": "Vu en entretien", "comment": ""})
    assert exc.value.theirs["comment"] == "Bon bloc"
    assert exc.value.mine[f"remark-{first.pk}"] == "Vu en entretien"
    # Sending again what is stored is not a conflict (a retry whose answer was lost).
    again = services.save_evaluation(pro, conv, rubric, 1, {"comment": "Bon bloc"})
    assert again.version == 2
    assert again.scores.get(criterion=first).level == level
    assert not again.scores.filter(criterion=second).exists()


def test_a_level_from_another_grille_is_refused(today):
    _session, _president, pro, conv = today
    declare_none([pro], conv)
    rubric, other = rubric_of(conv, 0), rubric_of(conv, 1)
    criterion = rubric.criteria.first()
    with pytest.raises(JuryError, match="n'appartient pas"):
        services.save_evaluation(pro, conv, rubric, 0, {f"level-{criterion.pk}": str(other.levels.first().pk)})


def test_validating_needs_a_level_for_every_criterion_then_the_scoring_is_read_only(today):
    _session, _president, pro, conv = today
    declare_none([pro], conv)
    rubric = rubric_of(conv)
    first, second = rubric.criteria.order_by("order")
    top = rubric.levels.order_by("order").last()
    services.save_evaluation(pro, conv, rubric, 0, {f"level-{first.pk}": str(top.pk)})
    with pytest.raises(services.IncompleteEvaluation, match="1 sans niveau") as exc:
        services.validate_evaluation(pro, conv, rubric)
    assert exc.value.missing == [second]
    services.save_evaluation(pro, conv, rubric, 1, {f"level-{second.pk}": str(top.pk)})
    evaluation = services.validate_evaluation(pro, conv, rubric)
    assert evaluation.status == EvaluationStatus.VALIDATED
    with pytest.raises(JuryError, match="validée"):
        services.save_evaluation(pro, conv, rubric, 2, {"comment": "Je change d'avis"})


def test_nothing_scored_cannot_be_validated(today):
    _session, _president, pro, conv = today
    declare_none([pro], conv)
    with pytest.raises(services.IncompleteEvaluation, match="2 sans niveau"):
        services.validate_evaluation(pro, conv, rubric_of(conv))


def test_only_the_president_reopens_a_validated_scoring_and_only_until_the_decision(today):
    session, president, pro, conv = today
    declare_none([president, pro], conv)
    evaluation = choose(pro, conv, rubric_of(conv), [3, 3])
    with pytest.raises(JuryError, match="président"):
        services.reopen_evaluation(evaluation, pro, "Revoir le critère 2.")
    reopened = services.reopen_evaluation(evaluation, president, "Revoir le critère 2.")
    assert reopened.status == EvaluationStatus.DRAFT and reopened.reopened_by == president.user
    assert reopened.reopen_reason == "Revoir le critère 2."
    services.save_evaluation(pro, conv, rubric_of(conv), reopened.version, {"comment": "Précisé"})
    services.validate_evaluation(pro, conv, rubric_of(conv))
    services.record_attendance(conv, president, Attendance.PRESENT)
    score_everything([president], conv)
    choose(pro, conv, rubric_of(conv, 1), [3, 3])
    services.record_decision(conv, president, decisions(conv))
    evaluation.refresh_from_db()
    with pytest.raises(JuryError, match="décision"):
        services.reopen_evaluation(evaluation, president, "Trop tard.")


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda m, c: None, "Déclarez d'abord"),
        (lambda m, c: services.declare_link(m, c, LinkKind.PERSONAL), "lien avec ce candidat"),
        (
            lambda m, c: (
                services.declare_link(m, c, LinkKind.NONE),
                type(m).objects.filter(pk=m.pk).update(present=False),
            ),
            "absence",
        ),
    ],
)
def test_an_undeclared_conflicted_or_absent_member_does_not_score(today, setup, message):
    _session, _president, pro, conv = today
    setup(pro, conv)
    pro.refresh_from_db()
    assert message in services.scoring_problem(pro, conv)
    with pytest.raises(JuryError, match=message):
        services.save_evaluation(pro, conv, rubric_of(conv), 0, {"comment": "x"})


def test_a_resource_person_reads_but_never_scores():
    session, (president, resource), (conv,) = jury_session(roles=(JuryRole.PRESIDENT, JuryRole.RESOURCE_PERSON))
    declare_none([resource], conv)
    assert "personne ressource" in services.scoring_problem(resource, conv)


def test_a_grille_that_does_not_assess_the_dossier_is_refused():
    cert = four_level_certification()
    session, (president, pro), (conv,) = jury_session(cert, blocks=[cert.blocks.get(order=1)])
    declare_none([pro], conv)
    other = cert.blocks.get(order=2).rubric
    with pytest.raises(JuryError, match="n'évalue pas"):
        services.save_evaluation(pro, conv, other, 0, {"comment": "x"})


# --- what the jury assesses ---------------------------------------------------------------


def test_the_vae_routes_transversal_assessment_is_assessed_when_the_dossier_targets_the_whole_title(
    reference_certifications,
):
    cert = reference_certifications.get(slug="coordinateur-operationnel-etablissements-educatifs")
    assert cert.requires_transversal
    whole = dossier_in_state(S.DRAFT, certification=cert)
    part = dossier_in_state(S.DRAFT, certification=cert, blocks=[cert.blocks.order_by("order")[2]])
    whole_items = queries.assessed_items(whole)
    # The training route's written work (50–60 pages) is not the VAE candidate's: not assessed.
    assert [i.is_block for i in whole_items] == [True] * cert.blocks.count() + [False]
    vae = cert.transversal_assessments.get(access_routes="vae")
    assert whole_items[-1].method == vae and whole_items[-1].rubric == vae.rubric
    training = cert.transversal_assessments.get(access_routes="training")
    assert "mobiliser de manière coordonnée les compétences" in training.vae_requirement
    assert [i.block for i in queries.assessed_items(part)] == [cert.blocks.order_by("order")[2]]


# --- decisions ----------------------------------------------------------------------------


def test_no_decision_before_the_session_day(today):
    session, president, pro, conv = today
    move_session(session, 2)
    conv.refresh_from_db()
    declare_none([president, pro], conv)
    score_everything([president, pro], conv)
    problems = services.deliberation_problems(conv, president)
    assert any("La session n'a pas commencé" in p for p in problems)
    with pytest.raises(JuryError):
        services.record_decision(conv, president, decisions(conv))
    assert not Decision.objects.exists()


def test_the_president_decides_once_attendance_is_recorded_and_every_scoring_is_validated(today):
    session, president, pro, conv = today
    declare_none([president, pro], conv)
    assert "Relevez d'abord la présence du candidat." in services.deliberation_problems(conv, president)
    services.record_attendance(conv, president, Attendance.PRESENT)
    conv.refresh_from_db()
    score_everything([president], conv)
    choose(pro, conv, rubric_of(conv, 0), [3, 3])
    name = pro.user.get_full_name() or pro.user.email
    assert services.deliberation_problems(conv, president) == [f"{name} n'a pas encore validé sa notation."]
    choose(pro, conv, rubric_of(conv, 1), [2, 2])  # one level from the président's: no divergence
    assert services.deliberation_problems(conv, president) == []
    with pytest.raises(JuryError, match="Seul le président"):
        services.record_decision(conv, pro, decisions(conv))
    decision = services.record_decision(
        conv,
        president,
        decisions(conv, {i.key: i.block.order == 1 for i in queries.assessed_items(conv.dossier)}),
        "Un bloc reste à compléter.",
        expected_result=JuryResult.PARTIAL_SUCCESS_OF_FULL_CERTIFICATION,
    )
    assert decision.result == JuryResult.PARTIAL_SUCCESS_OF_FULL_CERTIFICATION
    first, second = decision.items.order_by("order")
    assert first.validated and not second.validated
    assert list(second.competencies_to_prove.all()) == [second.block.competencies.order_by("order").first()]
    conv.dossier.refresh_from_db()
    assert conv.dossier.status == S.DECIDED
    # The timeline tells the candidate to wait for the minutes, not the result itself.
    assert "procès-verbal" in conv.dossier.transitions.last().comment
    with pytest.raises(JuryError, match="déjà rendu"):
        services.record_decision(conv, president, decisions(conv))


def test_a_page_reads_the_members_validations_once_and_a_service_always_afresh(today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from juries import permissions

    session, president, pro, conv = today
    declare_none([president, pro], conv)
    services.record_attendance(conv, president, Attendance.PRESENT)
    score_everything([president], conv)
    _seat, shown = permissions.convocation_or_404(president.user, conv.pk)  # as a view loads it

    with CaptureQueriesContext(connection) as first:
        problems = services.deliberation_problems(shown, president)
    with CaptureQueriesContext(connection) as again:
        assert services.deliberation_problems(shown, president) == problems
    choose(pro, conv, rubric_of(conv, 0), [3, 3])
    choose(pro, conv, rubric_of(conv, 1), [2, 2])

    reads = [q["sql"] for q in again.captured_queries]
    assert not [sql for sql in reads if "juries_evaluation" in sql or "juries_conflictdeclaration" in sql]
    assert len(again.captured_queries) < len(first.captured_queries)
    # What the page read stays what it read; a convocation loaded afresh sees the validations.
    assert services.deliberation_problems(shown, president) == problems != []
    assert services.deliberation_problems(type(conv).objects.get(pk=conv.pk), president) == []


def test_a_member_with_a_conflict_is_left_out_of_the_deliberation(today):
    session, president, pro, conv = today
    services.declare_link(pro, conv, LinkKind.INSTITUTIONAL, "Je l'ai accompagnée")
    declare_none([president], conv)
    services.record_attendance(conv, president, Attendance.PRESENT)
    conv.refresh_from_db()
    score_everything([president], conv)
    assert services.deliberation_problems(conv, president) == []
    assert services.record_decision(conv, president, decisions(conv)).result == (
        JuryResult.FULL_SUCCESS_OF_FULL_CERTIFICATION
    )


def test_a_president_with_a_conflict_cannot_decide(today):
    session, president, pro, conv = today
    services.declare_link(president, conv, LinkKind.PERSONAL)
    assert any("lien avec ce candidat" in p for p in services.deliberation_problems(conv, president))


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: setattr(d[0], "justification", " "), "Justifiez"),
        (lambda d: (setattr(d[0], "validated", False), setattr(d[0], "competencies", [])), "restant à démontrer"),
        (lambda d: d.pop(), "chaque bloc"),
    ],
)
def test_a_decision_needs_every_bloc_a_justification_and_preconisations_when_not_validated(today, change, message):
    session, president, pro, conv = today
    declare_none([president, pro], conv)
    services.record_attendance(conv, president, Attendance.PRESENT)
    conv.refresh_from_db()
    score_everything([president, pro], conv)
    items = decisions(conv)
    change(items)
    with pytest.raises(JuryError, match=message):
        services.record_decision(conv, president, items)
    assert not Decision.objects.exists()


def test_a_result_changed_since_the_president_read_it_is_not_saved(today):
    session, president, pro, conv = today
    declare_none([president, pro], conv)
    services.record_attendance(conv, president, Attendance.PRESENT)
    conv.refresh_from_db()
    score_everything([president, pro], conv)
    with pytest.raises(JuryError, match="a changé"):
        services.record_decision(conv, president, decisions(conv), expected_result=JuryResult.FAILURE)


@pytest.mark.parametrize(
    "attendance, result",
    [(Attendance.ABSENT, JuryResult.CANDIDATE_ABSENT), (Attendance.EXCUSED, JuryResult.CANDIDATE_EXCUSED)],
)
def test_an_absent_or_excused_candidate_gets_that_result_without_scoring(today, attendance, result):
    session, president, pro, conv = today
    decision = decided(session, [president, pro], conv, attendance=attendance)
    assert decision.result == result and not decision.items.exists()
    assert "pas présent" in services.scoring_problem(pro, conv)


def test_only_the_president_records_attendance_and_no_longer_once_the_jury_decided(today):
    session, president, pro, conv = today
    with pytest.raises(JuryError, match="Seul le président"):
        services.record_attendance(conv, pro, Attendance.PRESENT)
    decided(session, [president, pro], conv)
    with pytest.raises(JuryError, match="la présence ne peut plus changer"):
        services.record_attendance(conv, president, Attendance.ABSENT)
    conv.refresh_from_db()
    assert conv.attendance == Attendance.PRESENT


def test_a_partial_dossier_fully_validated_is_a_full_success_of_a_partial_certification():
    cert = four_level_certification()
    session, members, (conv,) = jury_session(cert, blocks=[cert.blocks.get(order=2)])
    assert decided(session, members, conv).result == JuryResult.FULL_SUCCESS_OF_PARTIAL_CERTIFICATION


# --- revocation ---------------------------------------------------------------------------


def test_a_revoked_decision_stays_in_the_history_and_the_same_jury_decides_again(today):
    session, president, pro, conv = today
    first = decided(session, [president, pro], conv, validated=False)
    certifier = conv.session.created_by
    with pytest.raises(JuryError, match="motif"):
        services.revoke_decision(first, certifier, " ")
    services.revoke_decision(first, certifier, "Erreur de saisie sur le bloc 2")
    first.refresh_from_db()
    assert first.revoked_at and first.revoked_by == certifier
    conv.dossier.refresh_from_db()
    assert conv.dossier.status == S.SCHEDULED
    with pytest.raises(JuryError, match="déjà révoquée"):
        services.revoke_decision(first, certifier, "encore")
    second = services.record_decision(conv, president, decisions(conv, True))
    assert list(Decision.objects.filter(convocation=conv).order_by("pk")) == [first, second]
    assert first.result == JuryResult.FAILURE and second.result == JuryResult.FULL_SUCCESS_OF_FULL_CERTIFICATION
    assert [d.pk for d in Decision.objects.in_force()] == [second.pk]


def test_revoking_after_the_minutes_are_final_sends_the_dossier_back_to_waiting_for_a_jury(today):
    session, president, pro, conv = today
    decision = decided(session, [president, pro], conv)
    sign_all(session, [president, pro])
    services.revoke_decision(decision, session.created_by, "Composition du jury irrégulière")
    conv.refresh_from_db()
    conv.dossier.refresh_from_db()
    assert conv.dossier.status == S.READY_FOR_JURY
    assert conv.status == ConvocationStatus.CANCELLED and "irrégulière" in conv.notice
    # The final minutes keep what was signed.
    session.minutes.refresh_from_db()
    assert session.minutes.content["candidates"][0]["result"] == JuryResult.FULL_SUCCESS_OF_FULL_CERTIFICATION
    assert validated_blocks(conv.dossier.candidate, conv.dossier.certification.lineage) == []


# --- the procès-verbal --------------------------------------------------------------------


def test_the_minutes_are_signed_once_every_candidate_is_decided(today):
    session, president, pro, conv = today
    with pytest.raises(JuryError, match="pas encore rendu sa décision"):
        services.sign_minutes(session, president)


def test_the_minutes_are_final_once_every_present_member_signed_the_same_content(today, caplog):
    session, president, pro, conv = today
    third = services.add_member(session, None, email="absente@example.org", role=JuryRole.TRAINER)
    services.set_presence(third, president, False)
    decided(session, [president, pro], conv)
    first = services.sign_minutes(session, president)
    session.refresh_from_db()
    assert session.minutes.status == MinutesStatus.DRAFT and session.status == SessionStatus.PLANNED
    with pytest.raises(JuryError, match="absence"):
        services.sign_minutes(session, third)
    with caplog.at_level(logging.INFO, logger="juries.services"):
        second = services.sign_minutes(session, pro)
    session.refresh_from_db()
    minutes = session.minutes
    assert minutes.status == MinutesStatus.FINAL and session.status == SessionStatus.CLOSED
    assert first.content_sha256 == second.content_sha256 == minutes.content_sha256
    assert f"content SHA-256 {minutes.content_sha256}" in caplog.text
    assert [m["present"] for m in minutes.content["members"]] == [True, True, False]
    # Every PDF of the deliberation (the convocation's own was asked for when it was issued).
    assert set(JuryDocument.objects.values_list("kind", flat=True)) == set(JuryDocumentKind.values) - {
        JuryDocumentKind.CONVOCATION
    }
    with pytest.raises(JuryError, match="définitif"):
        services.sign_minutes(session, president)


def test_a_change_after_a_signature_asks_for_signing_again(today):
    session, president, pro, conv = today
    decided(session, [president, pro], conv)
    early = services.sign_minutes(session, president)
    services.set_presence(pro, president, True)  # no change: same content
    services.declare_link(pro, conv, LinkKind.OTHER, "Voisine, appris après la délibération")
    services.sign_minutes(session, pro)
    session.minutes.refresh_from_db()
    assert session.minutes.status == MinutesStatus.DRAFT  # the président signed an older content
    again = services.sign_minutes(session, president)
    assert again.pk != early.pk
    session.minutes.refresh_from_db()
    assert session.minutes.status == MinutesStatus.FINAL
    assert session.minutes.content["conflicts"][0]["comment"] == "Voisine, appris après la délibération"


def test_the_minutes_say_who_sat_who_declared_a_link_and_what_was_decided(today):
    session, president, pro, conv = today
    other_session, _, _ = jury_session(candidates=0)
    decided(session, [president, pro], conv, validated=False)
    content = queries.minutes_content(session)
    assert content["certification"]["title"] == session.certification.title
    assert [m["role"] for m in content["members"]] == [JuryRole.PRESIDENT, JuryRole.PROFESSIONAL]
    (candidate,) = content["candidates"]
    assert candidate["result"] == JuryResult.FAILURE
    assert [i["validated"] for i in candidate["items"]] == [False, False]
    assert candidate["items"][0]["competencies_to_prove"]
    # Scorings are the jury's working papers: never in the minutes.
    assert "Excellent" not in str(content) and "score" not in str(content)


def test_a_session_can_be_closed_only_from_its_day():
    session, members, (conv,) = jury_session(days=3)
    with pytest.raises(JuryError):
        services.sign_minutes(session, members[0])


# --- blocs acquired for life --------------------------------------------------------------


def test_blocs_validated_in_a_final_decision_are_acquired_by_the_next_dossier():
    cert = four_level_certification()
    session, members, (conv,) = jury_session(cert)
    dossier = conv.dossier
    first_block = cert.blocks.get(order=1)
    decided(session, members, conv, validated={f"bloc-{b.pk}": b.order == 1 for b in cert.blocks.all()})
    # Not final yet: nothing acquired.
    assert validated_blocks(dossier.candidate, cert.lineage) == []
    sign_all(session, members)
    assert validated_blocks(dossier.candidate, cert.lineage) == [first_block]
    # A year later the candidate starts again: the new dossier starts with the bloc acquired.
    type(dossier).objects.filter(pk=dossier.pk).update(feasibility_submitted_at=timezone.now() - dt.timedelta(days=400))
    new = dossier_services.start_dossier(dossier.candidate, cert)
    assert list(new.acquired_blocks.all()) == [first_block]
    assert list(new.targeted_blocks()) == [cert.blocks.get(order=2)]
    assert new.targets_all_blocks
    # Its jury assesses only the bloc left.
    fill_feasibility(new)
    assert [i.block for i in queries.assessed_items(new)] == [cert.blocks.get(order=2)]
    assert fill_validation  # the path continues as for any dossier


def test_a_new_version_of_the_certification_keeps_the_blocs_acquired_by_code():
    from certifications import services as cert_services

    cert = four_level_certification()
    session, members, (conv,) = jury_session(cert)
    decided(session, members, conv, validated={f"bloc-{b.pk}": b.order == 2 for b in cert.blocks.all()})
    sign_all(session, members)
    draft = cert_services.new_version(cert, None)
    cert_services.publish(draft, None)
    acquired = dossier_services.acquired_blocks_for(conv.dossier.candidate, draft)
    assert [b.code for b in acquired] == [cert.blocks.get(order=2).code]
    assert acquired[0].certification == draft


def test_a_member_who_took_part_is_never_removed_from_the_session(today):
    session, president, pro, conv = today
    services.declare_link(pro, conv, LinkKind.NONE)
    with pytest.raises(JuryError, match="déjà participé"):
        services.remove_member(pro, None)
    assert session.members.filter(pk=pro.pk).exists()


def test_the_transversal_assessment_is_scored_and_decided_and_the_full_title_needs_it(reference_certifications):
    cert = reference_certifications.get(slug="coordinateur-operationnel-etablissements-educatifs")
    session, members, (conv,) = jury_session(cert)
    items = queries.assessed_items(conv.dossier)
    decision = decided(session, members, conv, validated={i.key: i.is_block for i in items})
    assert decision.result == JuryResult.PARTIAL_SUCCESS_OF_FULL_CERTIFICATION
    transversal = decision.items.get(block__isnull=True)
    vae = cert.transversal_assessments.get(access_routes="vae")
    assert transversal.assessment_method == vae and not transversal.validated
    assert transversal.recommendations  # no compétences to choose from: préconisations in words


def test_a_closed_session_leaves_the_list_waiting_for_minutes(today):
    from juries.models import JurySession

    session, president, pro, conv = today
    move_session(session, -1)  # held yesterday
    assert session in JurySession.objects.awaiting_minutes()
    decided(session, [president, pro], conv)
    sign_all(session, [president, pro])
    assert session not in JurySession.objects.awaiting_minutes()


def test_the_jurys_work_is_in_the_dossiers_audit_trail_without_the_levels(today):
    from audit.models import AuditEvent

    session, president, pro, conv = today
    decision = decided(session, [president, pro], conv)
    sign_all(session, [president, pro])
    services.revoke_decision(decision, session.created_by, "Erreur de saisie")
    rows = list(AuditEvent.objects.filter(dossier=conv.dossier).order_by("pk").values_list("action", "actor_id"))
    actions = [a for a, _ in rows]
    assert actions.count("jury.conflict_declared") == 2
    assert actions.count("jury.evaluation_submitted") == 4
    assert actions.count("jury.minutes_signed") == 2
    assert ("jury.decision", president.user_id) in rows
    assert ("jury.decision_revoked", session.created_by_id) in rows
    submitted = AuditEvent.objects.filter(action="jury.evaluation_submitted").first()
    assert submitted.changes == {}
    assert AuditEvent.objects.get(action="jury.decision").changes["result"] == [
        None,
        JuryResult.FULL_SUCCESS_OF_FULL_CERTIFICATION,
    ]
