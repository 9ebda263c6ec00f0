"""The jury records attendance, decisions and signatures only once the session has started (an
early margin may be allowed), and the candidate hears of the decision only when the
procès-verbal is final."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from dossiers.enums import DossierStatus as S
from juries import services
from juries.enums import Attendance
from juries.services.errors import JuryError
from tests.factories import UserFactory, dossier_in_state, slot
from tests.juries.helpers import decided, declare_none, jury_session, score_everything, sign_all

pytestmark = pytest.mark.django_db


def later_today(session, convocations, minutes=60):
    """Move the session (and its slots) so that it starts ``minutes`` from now."""
    from django.utils import timezone

    from juries.models import Convocation, JurySession

    delta = timezone.now() + dt.timedelta(minutes=minutes) - session.starts_at
    JurySession.objects.filter(pk=session.pk).update(starts_at=session.starts_at + delta)
    for c in convocations:
        Convocation.objects.filter(pk=c.pk).update(starts_at=c.starts_at + delta, ends_at=c.ends_at + delta)
        c.refresh_from_db()
    session.refresh_from_db()


def test_attendance_and_decisions_wait_for_the_session_to_start_not_just_its_day():
    session, (president, pro), (conv,) = jury_session()
    later_today(session, [conv])
    with pytest.raises(JuryError, match="La session n'a pas commencé"):
        services.record_attendance(conv, president, Attendance.PRESENT)
    declare_none([president, pro], conv)
    score_everything([president, pro], conv)
    assert any("La session n'a pas commencé" in p for p in services.deliberation_problems(conv, president))
    assert any("La session n'a pas commencé" in p for p in services.minutes_problems(session))


def test_an_early_margin_lets_the_jury_start_before_the_hour(settings):
    settings.JURY_EARLY_MARGIN_MINUTES = 90
    session, (president, _pro), (conv,) = jury_session()
    later_today(session, [conv])
    services.record_attendance(conv, president, Attendance.PRESENT)
    conv.refresh_from_db()
    assert conv.attendance == Attendance.PRESENT


def test_the_president_reads_why_the_attendance_buttons_are_missing(client):
    session, (president, _pro), (conv,) = jury_session()
    later_today(session, [conv])
    client.force_login(president.user)
    page = client.get(reverse("jury:session", args=[session.pk])).content.decode()
    assert "La session n&#x27;a pas commencé" in page
    assert reverse("jury:attendance", args=[conv.pk]) not in page


def test_the_candidate_hears_of_the_decision_only_when_the_minutes_are_final(django_capture_on_commit_callbacks):
    session, members, (conv,) = jury_session()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decided(session, members, conv)
    to_candidate = [m for m in mail.outbox if conv.dossier.candidate.email in m.to]
    assert to_candidate == []
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(session, members)
    to_candidate = [m for m in mail.outbox if conv.dossier.candidate.email in m.to]
    assert len(to_candidate) == 1


def test_a_convoked_candidate_receives_one_email(django_capture_on_commit_callbacks):
    session, _members, _none = jury_session(candidates=0, days=5)
    dossier = dossier_in_state(S.READY_FOR_JURY, certification=session.certification)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.convoke(session, dossier, UserFactory(admin=True), **slot(session, "09:00", "10:00"))
    assert [m.to for m in mail.outbox] == [[dossier.candidate.email]]
    assert "vous convoque devant le jury" in mail.outbox[0].body


# --- through the views, for each role -------------------------------------------------------


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_before_the_start_the_president_reads_why_deciding_and_signing_are_missing(client):
    session, (president, pro), (conv,) = jury_session()
    later_today(session, [conv])
    declare_none([president, pro], conv)
    client.force_login(president.user)
    deliberation = client.get(reverse("jury:deliberate", args=[conv.pk])).content.decode()
    assert "La session n&#x27;a pas commencé" in deliberation
    assert 'aria-label="Décision du jury"' not in deliberation
    minutes = client.get(reverse("jury:minutes", args=[session.pk])).content.decode()
    assert "La session n&#x27;a pas commencé" in minutes


def test_before_the_start_no_role_records_attendance_or_signs_through_the_views(client):
    from juries.models import Minutes

    session, (president, pro), (conv,) = jury_session()
    later_today(session, [conv])
    certifier = UserFactory(admin=True)
    attempts = [
        (president.user, reverse("jury:attendance", args=[conv.pk])),
        (certifier, reverse("backoffice:convocation_attendance", args=[conv.pk])),
    ]
    for user, url in attempts:
        client.force_login(user)
        response = client.post(url, {"attendance": Attendance.PRESENT}, follow=True)
        assert "La session n'a pas commencé" in messages_of(response), url
    conv.refresh_from_db()
    assert conv.attendance == ""
    for member in (president, pro):
        client.force_login(member.user)
        response = client.post(reverse("jury:sign", args=[session.pk]), follow=True)
        assert "La session n'a pas commencé" in messages_of(response)
    assert not Minutes.objects.filter(session=session).exists()
    client.force_login(certifier)
    page = client.get(reverse("backoffice:session", args=[session.pk])).content.decode()
    assert "à relever une fois la session commencée" in page


def test_the_result_is_released_to_the_candidate_all_at_once_when_the_minutes_are_final(
    client, django_capture_on_commit_callbacks
):
    from juries.enums import JuryDocumentKind
    from juries.models import JuryDocument

    session, members, (conv,) = jury_session()
    candidate = conv.dossier.candidate
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decided(session, members, conv)
    client.force_login(candidate)
    detail = reverse("dossiers:detail", args=[conv.dossier.pk])
    before = client.get(detail).content.decode()
    assert "Le jury a délibéré" in before and "Lettre de décision" not in before
    assert not JuryDocument.objects.filter(
        convocation=conv, kind__in=[JuryDocumentKind.DECISION_LETTER, JuryDocumentKind.ATTESTATION]
    ).exists()
    assert [m for m in mail.outbox if candidate.email in m.to] == []
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(session, members)
    after = client.get(detail).content.decode()
    assert "Résultat du jury" in after and "Lettre de décision" in after and "Attestation de blocs acquis" in after
    (email,) = [m for m in mail.outbox if candidate.email in m.to]
    assert "a rendu sa décision et son procès-verbal est signé" in email.body
    for kind in (JuryDocumentKind.DECISION_LETTER, JuryDocumentKind.ATTESTATION):
        document = JuryDocument.objects.get(convocation=conv, kind=kind)
        for user, status in [(candidate, 200), (members[1].user, 404), (UserFactory(), 404)]:
            client.force_login(user)
            assert client.get(reverse("jury:document", args=[document.pk])).status_code == status
