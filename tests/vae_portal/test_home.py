"""The home page per role: what to do now, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.enums import DossierStatus as S
from dossiers.models import Dossier
from dossiers.overview import vae_timeline
from juries import services as jury_services
from juries.enums import LinkKind
from messaging import services as messaging
from tests.factories import UserFactory, certifier_of, dossier_in_state, make_certification
from tests.juries.helpers import jury_session

pytestmark = pytest.mark.django_db
HOME = reverse("home")


def test_a_visitor_sees_the_way_in(client):
    make_certification(published=True)
    page = client.get(HOME).content.decode()
    assert "Parcourir les certifications" in page and "Ma VAE" not in page


def test_a_new_candidate_is_told_to_choose_a_certification(client):
    client.force_login(UserFactory())
    page = client.get(HOME).content.decode()
    assert "Ma VAE" in page and "Vous n'avez pas encore de dossier" in page


def test_the_candidate_sees_each_dossiers_next_step_and_timeline(client):
    candidate = UserFactory()
    certification = make_certification(published=True)
    certifier = certifier_of(certification)
    dossier = dossier_in_state(S.ADMISSIBLE, candidate=candidate, certification=certification, certifier_user=certifier)
    messaging.post_message(dossier, certifier, "Bienvenue")
    client.force_login(candidate)
    page = client.get(HOME).content.decode()
    assert "Rédiger mon dossier de validation" in page
    assert "1 nouveau message du certificateur" in page
    assert f"recevable le {timezone.localdate():%-d}" in page
    assert page.count('aria-current="step"') == 1


def test_the_timeline_places_each_state_on_its_step():
    def states(status, transitions=(), **fields):
        dossier = Dossier(status=status, **fields)
        return [s.state for s in vae_timeline(dossier, list(transitions))]

    assert states(S.DRAFT) == ["current", "todo", "todo", "todo"]
    assert states(S.VALIDATION_INCOMPLETE) == ["done", "current", "todo", "todo"]
    assert states(S.SCHEDULED) == ["done", "done", "current", "todo"]
    assert states(S.DECIDED) == ["done", "done", "done", "done"]
    assert states(S.INADMISSIBLE) == ["stopped", "todo", "todo", "todo"]


def test_the_timeline_dates_the_jury_and_the_current_step():
    now = timezone.now()
    dossier = Dossier(status=S.SCHEDULED, feasibility_submitted_at=now, validation_submitted_at=now)
    steps = vae_timeline(dossier, [], jury_at=now + dt.timedelta(days=10))
    assert (steps[2].state, steps[2].note, steps[2].date) == ("current", "convocation le", now + dt.timedelta(days=10))


def _candidate_with(n: int):
    candidate = UserFactory()
    for _ in range(n):
        certification = make_certification(published=True)
        dossier_in_state(S.ADMISSIBLE, candidate=candidate, certification=certification)
    return candidate


def test_the_candidates_home_costs_the_same_queries_with_more_dossiers(client, django_assert_num_queries):
    one, three = _candidate_with(1), _candidate_with(3)
    for user in (one, three):
        client.force_login(user)
        with django_assert_num_queries(EXPECTED_CANDIDATE):
            client.get(HOME)


# session, user, certifier check, jury seats, dossiers, transitions, convocations; the
# navigation's roles (context processor); the session saved (savepoint, update, release)
EXPECTED_CANDIDATE = 11


def test_the_certifier_sees_what_waits_oldest_first(client):
    certification = make_certification(published=True)
    certifier = certifier_of(certification)
    old = dossier_in_state(S.VALIDATION_SUBMITTED, certification=certification, certifier_user=certifier)
    Dossier.objects.filter(pk=old.pk).update(validation_submitted_at=timezone.now() - dt.timedelta(days=30))
    recent = dossier_in_state(
        S.FEASIBILITY_SUBMITTED,
        certification=make_certification(published=True, certifier=certification.certifiers.get()),
        certifier_user=certifier,
    )
    messaging.post_message(recent, recent.candidate, "Une question")
    messaging.add_annotation(recent, certifier, "À voir", blocks_decision=True)
    client.force_login(certifier)
    page = client.get(HOME).content.decode()
    order = [
        page.index(text) for text in ("1 dossier de validation à examiner", "1 demande de recevabilité à examiner")
    ]
    assert order == sorted(order)
    assert "1 message de candidat non lu" in page and "1 annotation à traiter avant décision" in page
    assert "Ma VAE" not in page


def test_the_certifiers_home_costs_the_same_queries_with_more_dossiers(client, django_assert_num_queries):
    certification = make_certification(published=True)
    certifier = certifier_of(certification)
    client.force_login(certifier)
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=certification, certifier_user=certifier)
    messaging.post_message(dossier, dossier.candidate, "Question")
    with django_assert_num_queries(EXPECTED_CERTIFIER):
        client.get(HOME)
    for _ in range(2):
        more = dossier_in_state(
            S.FEASIBILITY_SUBMITTED,
            certification=make_certification(published=True, certifier=certification.certifiers.get()),
            certifier_user=certifier,
        )
        messaging.post_message(more, more.candidate, "Question")
        messaging.add_annotation(more, certifier, "À voir", blocks_decision=True)
    with django_assert_num_queries(EXPECTED_CERTIFIER):
        client.get(HOME)


# session, user, certifier check, jury seats, dossiers (+2 prefetches), dossier counts, unread
# messages (2), annotations (2), the navigation's roles, the session saved (3)
EXPECTED_CERTIFIER = 14


def test_the_juror_sees_declarations_and_scorings_left(client):
    session, members, convocations = jury_session(candidates=2)
    juror = members[1]
    jury_services.declare_link(juror, convocations[0], LinkKind.NONE)
    client.force_login(juror.user)
    page = client.get(HOME).content.decode()
    assert "1 déclaration de lien à faire" in page
    assert "1 candidat à noter" in page
    assert reverse("jury:session", args=[session.pk]) in page


def test_the_jurors_home_costs_the_same_queries_with_more_sessions(client, django_assert_num_queries):
    _session, members, _convocations = jury_session(candidates=1)
    user = members[0].user
    client.force_login(user)
    with django_assert_num_queries(EXPECTED_JUROR):
        client.get(HOME)
    _s2, more, _c2 = jury_session(candidates=2)
    from juries.models import JuryMember

    JuryMember.objects.filter(pk=more[0].pk).update(user=user)
    with django_assert_num_queries(EXPECTED_JUROR):
        client.get(HOME)


# session, user, certifier check, jury seats, dossiers (none: nothing to prefetch), the
# navigation's roles, the session saved (savepoint, update, release)
EXPECTED_JUROR = 9


def test_the_admin_sees_the_health_of_the_installation(client, settings, tmp_path):
    from documents.enums import DocumentStatus
    from documents.models import GeneratedDocument

    admin = UserFactory(admin=True)
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED)
    GeneratedDocument.objects.filter(dossier=dossier).update(status=DocumentStatus.FAILED)
    heartbeat = tmp_path / "heartbeat"
    heartbeat.touch()
    settings.WORKER_HEARTBEAT_FILE = heartbeat
    client.force_login(admin)
    page = client.get(HOME).content.decode()
    assert "Tâches de fond : actives" in page
    assert "1 document en échec de génération" in page
    assert "File d'attente" in page
    old = time.time() - 3600
    os.utime(heartbeat, (old, old))
    assert "aucun signe récent du worker" in client.get(HOME).content.decode()
