import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from dossiers.enums import DossierStatus as S
from dossiers.models import TransitionLog
from juries import queries, services
from juries.enums import Attendance, ConvocationStatus, JuryRole, SessionStatus
from juries.models import Convocation, JuryMember
from juries.signals import convocation_issued
from tests.factories import UserFactory, dossier_in_state, make_certification, make_session, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return UserFactory(admin=True)


@pytest.fixture
def cert():
    return make_certification(published=True)


@pytest.fixture
def session(cert):
    return make_session(cert, days=10, hour=9, capacity=2)


def ready(cert):
    return dossier_in_state(S.READY_FOR_JURY, certification=cert)


# --- sessions -----------------------------------------------------------------------------


def test_a_session_is_programmed_on_a_published_certification_in_the_future(cert, actor):
    starts = timezone.now() + dt.timedelta(days=3)
    session = services.create_session(cert, actor, starts_at=starts, capacity=3, video_link="https://visio.example/j")
    assert session.status == SessionStatus.PLANNED
    assert session.created_by == actor


@pytest.mark.parametrize(
    "change, message",
    [
        ({"starts_at": timezone.now() - dt.timedelta(hours=1)}, "passée"),
        ({"place": "", "video_link": ""}, "lieu ou un lien"),
        ({"capacity": 0}, "au moins un candidat"),
    ],
)
def test_a_session_needs_a_future_date_a_place_and_room_for_a_candidate(cert, actor, change, message):
    values = {"starts_at": timezone.now() + dt.timedelta(days=3), "capacity": 2, "place": "Lyon", **change}
    with pytest.raises(services.JuryError, match=message):
        services.create_session(cert, actor, **values)


def test_a_session_cannot_be_programmed_on_a_draft(actor):
    with pytest.raises(services.JuryError, match="version publiée"):
        services.create_session(
            make_certification(), actor, starts_at=timezone.now() + dt.timedelta(days=2), capacity=1, place="Lyon"
        )


def test_the_date_of_a_session_with_convoked_candidates_cannot_move(cert, session, actor):
    services.convoke(session, ready(cert), actor, **slot(session, "09:00", "10:00"))
    with pytest.raises(services.JuryError, match="reportez ou annulez"):
        services.update_session(session, actor, starts_at=session.starts_at + dt.timedelta(days=1))
    with pytest.raises(services.JuryError, match="capacité"):
        services.update_session(session, actor, capacity=0)
    services.update_session(session, actor, place="Salle B", capacity=3)
    session.refresh_from_db()
    assert (session.place, session.capacity) == ("Salle B", 3)


def test_cancelling_a_session_releases_every_convoked_dossier_with_the_notice(cert, session, actor):
    dossier = ready(cert)
    services.convoke(session, dossier, actor, **slot(session, "09:00", "10:00"))

    services.cancel_session(session, actor, "Salle indisponible ce jour-là.")

    session.refresh_from_db()
    dossier.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert dossier.status == S.READY_FOR_JURY
    assert Convocation.objects.get().status == ConvocationStatus.CANCELLED
    assert "Salle indisponible" in TransitionLog.objects.filter(dossier=dossier).last().comment
    with pytest.raises(services.JuryError, match="annulée"):
        services.add_member(session, actor, email="x@example.org", role=JuryRole.TRAINER)


def test_cancelling_a_session_needs_a_notice(session, actor):
    with pytest.raises(services.JuryError, match="motif"):
        services.cancel_session(session, actor, "  ")


@pytest.mark.parametrize(
    "status, message",
    [
        (SessionStatus.CANCELLED, "La session est annulée : elle ne peut plus être modifiée."),
        (SessionStatus.CLOSED, "La session est clôturée : son procès-verbal est définitif."),
    ],
)
def test_a_session_no_longer_programmed_refuses_certifier_and_jury_with_one_message(session, actor, status, message):
    president = services.add_member(session, actor, email="presidente@example.org", role=JuryRole.PRESIDENT)
    type(session).objects.filter(pk=session.pk).update(status=status)
    session.refresh_from_db()
    with pytest.raises(services.JuryError, match=re.escape(message)):
        services.update_session(session, actor, capacity=3)
    with pytest.raises(services.JuryError, match=re.escape(message)):
        services.set_presence(president, president, True)


# --- members ------------------------------------------------------------------------------


def test_an_existing_account_is_seated_and_told_by_email(session, actor, django_capture_on_commit_callbacks):
    juror = UserFactory(email="juror@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        member = services.add_member(session, actor, email="Juror@Example.org", role=JuryRole.PROFESSIONAL)
    assert member.user == juror
    assert not member.invited
    assert mail.outbox[-1].to == ["juror@example.org"]
    assert "professionnel du secteur" in mail.outbox[-1].body
    assert "/jury/invitation/" not in mail.outbox[-1].body


def test_an_unknown_email_creates_an_inactive_account_and_sends_a_set_password_link(
    client, session, actor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member = services.add_member(
            session, actor, email="nouvelle@example.org", role=JuryRole.TRAINER, first_name="Nina", last_name="Lopez"
        )
    user = member.user
    assert member.invited
    assert not user.is_active
    assert not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Nina", "Lopez")
    message = mail.outbox[-1]
    assert message.subject == "Invitation à siéger dans un jury de VAE"
    link = re.search(r"https?://\S+/jury/invitation/\S+/", message.body).group(0)
    assert client.login(email="nouvelle@example.org", password="x") is False

    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Un-mot-de-passe-2026!", "new_password2": "Un-mot-de-passe-2026!"}, follow=True
    )

    user.refresh_from_db()
    assert user.is_active
    assert response.context["user"] == user
    assert "Votre compte est activé" in response.content.decode()
    # The link dies once used.
    assert "plus valide" in client.get("/" + path, follow=True).content.decode()


def test_a_person_sits_once_per_session_and_a_session_has_one_president(session, actor):
    services.add_member(session, actor, email="p1@example.org", role=JuryRole.PRESIDENT)
    with pytest.raises(services.JuryError, match="siège déjà"):
        services.add_member(session, actor, email="p1@example.org", role=JuryRole.TRAINER)
    with pytest.raises(services.JuryError, match="déjà un président"):
        services.add_member(session, actor, email="p2@example.org", role=JuryRole.PRESIDENT)
    # The refused invitation created no account.
    assert not User.objects.filter(email="p2@example.org").exists()


def test_a_candidate_of_the_session_cannot_sit_on_it_nor_a_juror_be_convoked(cert, session, actor):
    dossier = ready(cert)
    services.convoke(session, dossier, actor, **slot(session, "09:00", "10:00"))
    with pytest.raises(services.JuryError, match="candidate à cette session"):
        services.add_member(session, actor, email=dossier.candidate.email, role=JuryRole.PROFESSIONAL)

    other = ready(cert)
    services.add_member(session, actor, email=other.candidate.email, role=JuryRole.PROFESSIONAL)
    with pytest.raises(services.JuryError, match="siège dans le jury"):
        services.convoke(session, other, actor, **slot(session, "10:00", "11:00"))


def test_composition_counts_certifier_staff_as_internal(cert, session, actor):
    cert.jury_rule = {"roles": {"professional": 1}, "external_professionals": 1}
    cert.save()
    staff = UserFactory()
    cert.certifiers.first().staff.add(staff)
    services.add_member(session, actor, email=staff.email, role=JuryRole.PROFESSIONAL)

    result = queries.composition(session)

    assert result.problems == ["Il manque 1 professionnel du secteur extérieur au certificateur (0 sur 1)."]


# --- convocations -------------------------------------------------------------------------


def test_convoking_schedules_the_dossier_emails_the_candidate_and_fires_the_pdf_hook(
    cert, session, actor, django_capture_on_commit_callbacks
):
    dossier = ready(cert)
    received = []

    def receiver(sender, convocation_id, **kwargs):
        received.append(convocation_id)

    convocation_issued.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            conv = services.convoke(session, dossier, actor, **slot(session, "09:30", "10:30"))
    finally:
        convocation_issued.disconnect(receiver)

    dossier.refresh_from_db()
    assert dossier.status == S.SCHEDULED
    assert received == [conv.pk]
    convocation_mail = next(m for m in mail.outbox if m.subject.startswith("Convocation au jury VAE"))
    assert convocation_mail.to == [dossier.candidate.email]
    assert "de 9\u00a0h\u00a030 à 10\u00a0h\u00a030" in convocation_mail.body
    assert "Salle du conseil" in convocation_mail.body
    assert f"/dossiers/{dossier.pk}/" in convocation_mail.body
    assert "Compétence" not in convocation_mail.body  # links only, no dossier content


@pytest.mark.parametrize("state", [S.VALIDATION_SUBMITTED, S.FEASIBILITY_SUBMITTED, S.ADMISSIBLE])
def test_only_a_dossier_ready_for_jury_is_convoked(cert, session, actor, state):
    dossier = dossier_in_state(state, certification=cert)
    with pytest.raises(services.JuryError, match="pas en attente de jury"):
        services.convoke(session, dossier, actor, **slot(session, "09:00", "10:00"))
    assert not Convocation.objects.exists()


def test_a_dossier_of_another_certification_is_not_convoked(session, actor):
    with pytest.raises(services.JuryError, match="certification de cette session"):
        services.convoke(session, ready(make_certification(published=True)), actor, **slot(session, "09:00", "10:00"))


def test_a_dossier_on_another_version_of_the_certification_is_convoked(cert, actor):
    from certifications import services as cert_services

    dossier = ready(cert)
    v2 = cert_services.new_version(cert)
    v2 = cert_services.publish(v2)
    session = make_session(v2)
    conv = services.convoke(session, dossier, actor, **slot(session, "09:00", "10:00"))
    assert conv.dossier.certification == cert


@pytest.mark.parametrize(
    "start, end, message",
    [
        ("08:00", "09:30", "commence avant la session"),
        ("09:30", "10:30", "chevauche celui de"),
        ("10:00", "09:00", "finir après"),
    ],
)
def test_slots_start_with_the_session_and_never_overlap(cert, session, actor, start, end, message):
    services.convoke(session, ready(cert), actor, **slot(session, "09:00", "10:00"))
    with pytest.raises(services.JuryError, match=message):
        services.convoke(session, ready(cert), actor, **slot(session, start, end))


def test_a_slot_on_another_day_is_refused(cert, session, actor):
    start = session.starts_at + dt.timedelta(days=1)
    with pytest.raises(services.JuryError, match="jour de la session"):
        services.convoke(session, ready(cert), actor, starts_at=start, ends_at=start + dt.timedelta(hours=1))


def test_back_to_back_slots_are_fine_and_capacity_is_respected(cert, session, actor):
    services.convoke(session, ready(cert), actor, **slot(session, "09:00", "10:00"))
    services.convoke(session, ready(cert), actor, **slot(session, "10:00", "11:00"))
    extra = ready(cert)
    with pytest.raises(services.JuryError, match="complète"):
        services.convoke(session, extra, actor, **slot(session, "11:00", "12:00"))
    extra.refresh_from_db()
    assert extra.status == S.READY_FOR_JURY


def test_a_past_session_takes_no_new_convocation(cert, actor):
    past = make_session(cert, days=-2)
    with pytest.raises(services.JuryError, match="déjà eu lieu"):
        services.convoke(past, ready(cert), actor, **slot(past, "09:00", "10:00"))


def test_rescheduling_moves_the_slot_and_sends_a_new_convocation(
    cert, session, actor, django_capture_on_commit_callbacks
):
    conv = services.convoke(session, ready(cert), actor, **slot(session, "09:00", "10:00"))
    with pytest.raises(services.JuryError, match="motif"):
        services.reschedule(conv, actor, notice="", **slot(session, "11:00", "12:00"))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(conv, actor, notice="Retard du président.", **slot(session, "11:00", "12:00"))

    conv.refresh_from_db()
    assert conv.status == ConvocationStatus.RESCHEDULED
    assert timezone.localtime(conv.starts_at).hour == 11
    assert conv.notice == "Retard du président."
    assert mail.outbox[0].subject.startswith("Nouvelle convocation")
    assert "Motif : Retard du président." in mail.outbox[0].body
    assert "de 11\u00a0h à 12\u00a0h" in mail.outbox[0].body
    assert conv.dossier.status == S.SCHEDULED


def test_rescheduling_to_another_session_checks_its_capacity(cert, session, actor):
    conv = services.convoke(session, ready(cert), actor, **slot(session, "09:00", "10:00"))
    full = make_session(cert, days=20, capacity=1)
    services.convoke(full, ready(cert), actor, **slot(full, "09:00", "10:00"))
    with pytest.raises(services.JuryError, match="complète"):
        services.reschedule(conv, actor, notice="Report", session=full, **slot(full, "10:00", "11:00"))

    later = make_session(cert, days=30)
    services.reschedule(conv, actor, notice="Report", session=later, **slot(later, "14:00", "15:00"))
    conv.refresh_from_db()
    assert conv.session == later


def test_cancelling_a_convocation_returns_the_dossier_to_waiting_with_the_notice(cert, session, actor):
    dossier = ready(cert)
    conv = services.convoke(session, dossier, actor, **slot(session, "09:00", "10:00"))
    with pytest.raises(services.JuryError, match="motif"):
        services.cancel_convocation(conv, actor, "")

    services.cancel_convocation(conv, actor, "Le candidat est hospitalisé.")

    dossier.refresh_from_db()
    assert dossier.status == S.READY_FOR_JURY
    assert "hospitalisé" in dossier.transitions.last().comment
    with pytest.raises(services.JuryError, match="annulée"):
        services.cancel_convocation(conv, actor, "encore")
    # The dossier can be convoked again, in the freed slot.
    services.convoke(session, dossier, actor, **slot(session, "09:00", "10:00"))
    assert Convocation.objects.live().count() == 1


def test_attendance_is_recorded_from_the_session_day_and_then_freezes_the_convocation(cert, actor):
    session = make_session(cert, days=1)
    conv = services.convoke(session, ready(cert), actor, **slot(session, "09:00", "10:00"))
    with pytest.raises(services.JuryError, match="La session n'a pas commencé"):
        services.record_attendance(conv, actor, Attendance.PRESENT)

    type(session).objects.filter(pk=session.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(services.JuryError, match="inconnue"):
        services.record_attendance(conv, actor, "late")
    services.record_attendance(conv, actor, Attendance.EXCUSED)

    conv.refresh_from_db()
    assert conv.attendance == Attendance.EXCUSED
    assert conv.attendance_recorded_at is not None
    with pytest.raises(services.JuryError, match="présence"):
        services.cancel_convocation(conv, actor, "trop tard")


def test_members_can_be_removed_while_the_session_is_open(session, actor):
    member = services.add_member(session, actor, email="m@example.org", role=JuryRole.TRAINER)
    services.remove_member(member, actor)
    assert not JuryMember.objects.exists()


def test_an_account_an_admin_deactivated_is_refused_not_reactivated(session, actor):
    UserFactory(email="ancien@example.org", is_active=False)
    with pytest.raises(services.JuryError, match="désactivé"):
        services.add_member(session, actor, email="ancien@example.org", role=JuryRole.TRAINER)


def test_an_account_awaiting_its_signup_confirmation_is_seated_without_an_invitation_link(
    session, actor, django_capture_on_commit_callbacks
):
    UserFactory(email="inscrite@example.org", is_active=False, awaiting_email_confirmation=True)
    with django_capture_on_commit_callbacks(execute=True):
        member = services.add_member(session, actor, email="inscrite@example.org", role=JuryRole.TRAINER)
    assert not member.awaiting_invitation
    assert "/jury/invitation/" not in mail.outbox[-1].body
    with pytest.raises(services.JuryError, match="rien à renvoyer"):
        services.resend_invitation(member, actor)


def test_the_invitation_link_never_resets_another_accounts_password(client):
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    for user in (UserFactory(email="actif@example.org"), UserFactory(email="off@example.org", is_active=False)):
        url = reverse(
            "juries:invitation",
            args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
        )
        response = client.get(url, follow=True)
        assert "plus valide" in response.content.decode()


def test_the_candidates_convocation_fragment_shows_the_slot_place_and_instructions(cert, actor):
    from django.template.loader import render_to_string

    session = make_session(cert, days=10, instructions="Apportez une pièce d'identité.")
    dossier = ready(cert)
    services.convoke(session, dossier, actor, **slot(session, "14:00", "15:00"))

    html = render_to_string("juries/_candidate_convocations.html", {"dossier": dossier})

    assert "de 14\u00a0h à 15\u00a0h" in html
    assert "Salle du conseil" in html
    assert "Apportez une pièce d&#x27;identité." in html
