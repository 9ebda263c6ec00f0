"""The periodic e-mails, on a frozen clock: the daily summary at 8:00 (only to those who have
something waiting, each notification once), the jurors' reminder before their session (once per
session, only to those with links to declare or scorings to validate), and the président told
when every scoring of a candidate is validated."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from dossiers.enums import DossierStatus as S
from juries import services as jury_services
from juries.queries import assessed_items
from notifications import services, tasks
from notifications.enums import EmailStatus, Frequency
from notifications.models import Notification
from tests.emails import assert_html_says_the_same
from tests.factories import certifier_of, dossier_in_state, make_certification
from tests.juries.helpers import choose, declare_none, jury_session, score_everything
from tests.notifications.helpers import assert_french_typography, assert_no_dossier_content

pytestmark = pytest.mark.django_db

HOST = "http://127.0.0.1:8080"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _real_host(settings):
    settings.SITE_URL = HOST


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock: ``clock.set(datetime)``; ``timezone.now()`` answers it everywhere."""

    class Clock:
        now = timezone.now()

        def set(self, when: dt.datetime) -> None:
            self.now = when

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


def test_the_daily_summary_is_due_at_eight_in_the_morning_paris_time():
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-digest"]
    schedule = entry["schedule"]
    assert entry["task"] == tasks.send_daily_digests.name
    last_run = dt.datetime(2026, 12, 7, 8, 0, tzinfo=PARIS)

    schedule.nowfun = lambda: dt.datetime(2026, 12, 8, 7, 59, tzinfo=PARIS)
    assert not schedule.is_due(last_run).is_due
    schedule.nowfun = lambda: dt.datetime(2026, 12, 8, 8, 0, 30, tzinfo=PARIS)
    assert schedule.is_due(last_run).is_due


def test_the_daily_summary_gathers_the_days_notifications_of_each_person_once(
    clock, django_capture_on_commit_callbacks
):
    certification = make_certification(published=True, title="Moniteur éducateur")
    staff, quiet = certifier_of(certification), certifier_of(certification)
    services.set_preferences(quiet, {"feasibility_submitted": Frequency.NEVER, "validation_submitted": Frequency.NEVER})
    clock.set(dt.datetime(2026, 12, 7, 15, 0, tzinfo=PARIS))
    with django_capture_on_commit_callbacks(execute=True):
        requested = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=certification)
        deposited = dossier_in_state(S.VALIDATION_SUBMITTED, certification=certification, certifier_user=staff)
    mail.outbox.clear()

    clock.set(dt.datetime(2026, 12, 8, 8, 0, tzinfo=PARIS))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_digests() == 1

    (message,) = mail.outbox
    assert message.to == [staff.email]
    assert message.subject == "Portail VAE\u00a0: 3 nouveautés depuis hier"
    body = message.body
    assert body.count("Nouvelle demande de recevabilité — Moniteur éducateur") == 2
    assert "Dossier de validation déposé — Moniteur éducateur" in body
    assert f"dossier n° {requested.pk}, demande de recevabilité en cours d'examen" in body
    assert f"{HOST}/certificateur/dossiers/{deposited.pk}/" in body
    assert f"{HOST}/notifications/\n" in body
    assert_no_dossier_content(body)
    assert_french_typography(body)
    assert_html_says_the_same(message)
    assert set(Notification.objects.filter(recipient=staff).values_list("email_status", flat=True)) == {
        EmailStatus.DIGESTED
    }
    assert Notification.objects.filter(recipient=staff).first().emailed_at == clock.now

    # the next morning: nothing new, nothing sent
    clock.set(dt.datetime(2026, 12, 9, 8, 0, tzinfo=PARIS))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_digests() == 0
    assert mail.outbox == []


def test_a_daily_summary_with_one_item_says_so_in_the_singular(clock, django_capture_on_commit_callbacks):
    certification = make_certification(published=True)
    staff = certifier_of(certification)
    dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=certification)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.send_daily_digests()

    (message,) = mail.outbox
    assert message.subject == "Portail VAE\u00a0: 1 nouveauté depuis hier"
    assert message.to == [staff.email]


# --- jurors -----------------------------------------------------------------------------------


def test_jurors_are_reminded_before_the_session_once_with_what_is_left_to_do(
    clock, settings, django_capture_on_commit_callbacks
):
    settings.JURY_REMINDER_DAYS = 3
    session, (president, professional), (conv,) = jury_session(days=2)
    declare_none([professional], conv)
    score_everything([professional], conv)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_jury_reminders() == 1
        assert tasks.send_jury_reminders() == 0  # idempotent: once per member and session

    (message,) = mail.outbox
    assert message.to == [president.user.email]
    day = timezone.localtime(session.starts_at).strftime("%-d")
    assert message.subject.startswith(f"Jury du {day} ")
    assert "déclarez vos liens et notez" in message.subject and session.certification.title in message.subject
    assert "Il vous reste 1 candidat pour qui déclarer vos liens" in message.body
    assert "Il vous reste 1 candidat à noter" in message.body
    assert f"{HOST}/jury/sessions/{session.pk}/\n" in message.body
    assert_french_typography(message.body)
    assert_html_says_the_same(message)
    assert Notification.objects.get(recipient=president.user).event == "jury_reminder"


def test_no_reminder_for_a_session_further_than_the_setting(settings, django_capture_on_commit_callbacks):
    settings.JURY_REMINDER_DAYS = 3
    jury_session(days=5)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_jury_reminders() == 0

    assert mail.outbox == []


def test_the_president_is_told_once_every_juror_has_validated_a_candidates_scorings(
    django_capture_on_commit_callbacks,
):
    session, (president, professional), (conv,) = jury_session()
    declare_none([president, professional], conv)
    score_everything([president], conv)
    first, *others = assessed_items(conv.dossier)
    choose(professional, conv, first.rubric, [-1] * first.rubric.criteria.count())
    assert not Notification.objects.filter(recipient=president.user, event="jury_scorings_validated").exists()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        for item in others:
            choose(professional, conv, item.rubric, [-1] * item.rubric.criteria.count())

    (message,) = mail.outbox
    assert message.to == [president.user.email]
    assert session.certification.title in message.subject
    assert "chaque membre a validé sa notation d'un candidat" in message.body
    assert f"{HOST}/jury/candidats/{conv.pk}/\n" in message.body
    assert conv.dossier.candidate.last_name not in message.body
    assert_no_dossier_content(message.body)
    assert_french_typography(message.body)
    assert Notification.objects.filter(recipient=president.user, event="jury_scorings_validated").count() == 1

    # reopened and validated again: still one
    evaluation = professional.evaluations.filter(convocation=conv).first()
    jury_services.reopen_evaluation(evaluation, president, "Revoir le critère 2.")
    choose(professional, conv, evaluation.rubric, [0] * evaluation.rubric.criteria.count())
    assert Notification.objects.filter(recipient=president.user, event="jury_scorings_validated").count() == 1
