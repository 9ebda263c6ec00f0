"""A candidate who completes the certification bloc by bloc holds it whole: one shared answer
(``juries.acquired.whole_certification_held``) gives them the whole-certification badge and
their declaration to the Caisse des Dépôts, dated on the jury that validated the last bloc."""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from accrochage.models import Passage, PassageAction
from credentials.models import Badge
from dossiers.models import Dossier
from juries import services as jury_services
from juries.acquired import whole_certification_held
from juries.enums import JuryResult
from tests.factories import certifier_of
from tests.juries.helpers import decided, four_level_certification, jury_session, sign_all


@dataclass
class BlocByBloc:
    certification: object
    certifier: object
    candidate: object
    first: object  # decision of the first jury: first bloc only
    second: object  # decision of the second jury: the other bloc, the only one targeted
    second_session: object
    second_members: list


@pytest.fixture
def bloc_by_bloc(db, django_capture_on_commit_callbacks):
    cert = four_level_certification()
    certifier = certifier_of(cert, email=f"certif-{cert.pk}@org.example")
    first_bloc, second_bloc = cert.blocks.order_by("order")
    s1, m1, (c1,) = jury_session(cert, days=-30, blocks=[first_bloc], actor=certifier)
    first = decided(s1, m1, c1)
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(s1, m1)
    candidate = c1.dossier.candidate
    s2, m2, (c2,) = jury_session(cert, blocks=[second_bloc], actor=certifier)
    # The same candidate's later dossier, targeting only the bloc still missing (built for
    # another candidate, then given to this one: the services' limits on starting a dossier, one
    # active dossier per certification and the calendar-year limit of Code du travail R6412-3,
    # are not what this test is about).
    Dossier.objects.filter(pk=c2.dossier_id).update(candidate=candidate)
    c2.refresh_from_db()
    second = decided(s2, m2, c2)
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(s2, m2)
    return BlocByBloc(cert, certifier, candidate, first, second, s2, m2)


def test_the_blocs_decisions_are_each_a_success_of_the_blocs_targeted_only(bloc_by_bloc):
    for decision in (bloc_by_bloc.first, bloc_by_bloc.second):
        assert decision.result == JuryResult.FULL_SUCCESS_OF_PARTIAL_CERTIFICATION


def test_the_whole_certification_is_held_since_the_jury_of_the_last_bloc(bloc_by_bloc):
    held = whole_certification_held(bloc_by_bloc.candidate, bloc_by_bloc.certification)
    assert held is not None and held.decision == bloc_by_bloc.second
    assert held.since == timezone.localdate(bloc_by_bloc.second_session.starts_at)


def test_completing_the_blocs_gives_the_whole_certifications_badge_once(bloc_by_bloc):
    whole = Badge.objects.filter(candidate=bloc_by_bloc.candidate, block__isnull=True)
    assert list(whole.values_list("decision", flat=True)) == [bloc_by_bloc.second.pk]
    assert whole.get().name == bloc_by_bloc.certification.title
    assert Badge.objects.filter(candidate=bloc_by_bloc.candidate, block__isnull=False).count() == 2


def test_completing_the_blocs_declares_the_holder_to_the_cdc_on_the_last_jurys_day(bloc_by_bloc):
    passage = Passage.objects.get()
    assert (passage.decision, passage.action) == (bloc_by_bloc.second, PassageAction.CREATION)
    assert passage.awarded_on == timezone.localdate(bloc_by_bloc.second_session.starts_at)
    assert passage.dossier == bloc_by_bloc.second.dossier


def test_blocs_alone_do_not_make_the_whole_certification(db, django_capture_on_commit_callbacks):
    cert = four_level_certification()
    certifier = certifier_of(cert, email=f"certif-{cert.pk}@org.example")
    first_bloc = cert.blocks.order_by("order").first()
    session, members, (conv,) = jury_session(cert, blocks=[first_bloc], actor=certifier)
    decided(session, members, conv)
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(session, members)
    assert whole_certification_held(conv.dossier.candidate, cert) is None
    assert not Badge.objects.filter(block__isnull=True).exists()
    assert not Passage.objects.exists()


def test_revoking_the_last_blocs_decision_withdraws_the_whole_certification(bloc_by_bloc):
    jury_services.revoke_decision(bloc_by_bloc.second, bloc_by_bloc.certifier, "Erreur de saisie du jury.")
    assert whole_certification_held(bloc_by_bloc.candidate, bloc_by_bloc.certification) is None
    assert Badge.objects.get(decision=bloc_by_bloc.second, block__isnull=True).revoked_at is not None
    assert not Passage.objects.filter(action=PassageAction.CREATION).exclude(status="cancelled").exists()
