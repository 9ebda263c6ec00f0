import datetime as dt
import html

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from dossiers.enums import DossierStatus as S
from juries import services
from juries.enums import Attendance, ConvocationStatus, JuryRole
from juries.models import Convocation, JurySession
from tests.factories import UserFactory, dossier_in_state, make_session, slot

pytestmark = pytest.mark.django_db


def page_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def session(cert):
    return make_session(cert, days=10, capacity=3)


def test_a_certifier_programmes_a_session(certifier_client, cert):
    day = timezone.localdate() + dt.timedelta(days=20)
    response = certifier_client.post(
        reverse("backoffice:session_create"),
        {
            "certification": cert.pk,
            "date": day.isoformat(),
            "time": "09:30",
            "video_link": "https://visio.example/jury-42",
            "capacity": 5,
            "instructions": "Pièce d'identité et convocation imprimée.",
        },
    )
    session = JurySession.objects.get()
    assert response["Location"] == reverse("backoffice:session", args=[session.pk])
    assert timezone.localtime(session.starts_at).time() == dt.time(9, 30)
    assert session.video_link == "https://visio.example/jury-42"


def test_a_session_without_place_or_link_or_in_the_past_is_refused_keeping_the_input(certifier_client, cert):
    day = timezone.localdate() - dt.timedelta(days=1)
    response = certifier_client.post(
        reverse("backoffice:session_create"),
        {"certification": cert.pk, "date": day.isoformat(), "time": "09:30", "capacity": 5, "notes": "Ma note"},
    )
    assert "Indiquez un lieu ou un lien" in page_of(response)
    assert "Ma note" in page_of(response)
    response = certifier_client.post(
        reverse("backoffice:session_create"),
        {"certification": cert.pk, "date": day.isoformat(), "time": "09:30", "capacity": 5, "place": "Lyon"},
    )
    assert "La date de la session est passée" in page_of(response)
    assert not JurySession.objects.exists()


def test_the_session_page_says_what_the_composition_lacks(certifier_client, cert, session):
    cert.jury_rule = {"min_members": 3, "roles": {"president": 1, "professional": 2}}
    cert.save()
    services.add_member(session, None, email="pro@example.org", role=JuryRole.PROFESSIONAL)

    page = page_of(certifier_client.get(reverse("backoffice:session", args=[session.pk])))

    assert "La composition ne respecte pas encore la règle" in page
    assert "Il manque 1 président (0 sur 1)." in page
    assert "Il manque 1 professionnel du secteur (1 sur 2)." in page


def test_adding_three_members_meets_the_rule(certifier_client, cert, session, django_capture_on_commit_callbacks):
    cert.jury_rule = {"min_members": 3, "roles": {"president": 1, "professional": 2}}
    cert.save()
    UserFactory(email="existant@example.org", first_name="Jeanne", last_name="Durand")
    url = reverse("backoffice:member_add", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        certifier_client.post(url, {"email": "existant@example.org", "role": JuryRole.PRESIDENT})
        response = certifier_client.post(
            url,
            {"email": "invite@example.org", "role": JuryRole.PROFESSIONAL, "first_name": "Paul", "last_name": "Roy"},
            follow=True,
        )
        certifier_client.post(url, {"email": "autre@example.org", "role": JuryRole.PROFESSIONAL})

    assert "Invitation envoyée à invite@example.org" in page_of(response)
    assert not User.objects.get(email="invite@example.org").is_active
    assert {m.to[0] for m in mail.outbox} == {"existant@example.org", "invite@example.org", "autre@example.org"}
    page = page_of(certifier_client.get(reverse("backoffice:session", args=[session.pk])))
    assert "La composition respecte la règle de la certification" in page
    assert "invitation en attente" in page


def test_a_refused_member_keeps_the_form_input(certifier_client, session):
    services.add_member(session, None, email="p@example.org", role=JuryRole.PRESIDENT)
    response = certifier_client.post(
        reverse("backoffice:member_add", args=[session.pk]), {"email": "q@example.org", "role": JuryRole.PRESIDENT}
    )
    assert "La session a déjà un président" in page_of(response)
    assert 'value="q@example.org"' in page_of(response)


def test_resending_an_invitation(certifier_client, session, django_capture_on_commit_callbacks):
    member = services.add_member(session, None, email="new@example.org", role=JuryRole.TRAINER)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # sent once the request is committed
        certifier_client.post(reverse("backoffice:member_resend", args=[member.pk]))
    assert mail.outbox[0].to == ["new@example.org"]
    assert "/jury/invitation/" in mail.outbox[0].body


def test_convoking_from_the_session_page(certifier_client, cert, session, django_capture_on_commit_callbacks):
    dossier = dossier_in_state(S.READY_FOR_JURY, certification=cert)
    page = page_of(certifier_client.get(reverse("backoffice:session", args=[session.pk])))
    assert dossier.candidate.last_name in page  # offered in the convoke form

    with django_capture_on_commit_callbacks(execute=True):
        response = certifier_client.post(
            reverse("backoffice:convoke", args=[session.pk]),
            {"dossier": dossier.pk, "start": "09:00", "end": "10:00"},
            follow=True,
        )

    dossier.refresh_from_db()
    assert dossier.status == S.SCHEDULED
    assert "Convocation envoyée à" in page_of(response)
    assert any(m.subject.startswith("Convocation au jury VAE") for m in mail.outbox)


def test_an_overlapping_slot_is_refused_on_the_page(certifier_client, cert, session):
    first = dossier_in_state(S.READY_FOR_JURY, certification=cert)
    services.convoke(session, first, None, **slot(session, "09:00", "10:00"))
    second = dossier_in_state(S.READY_FOR_JURY, certification=cert)

    response = certifier_client.post(
        reverse("backoffice:convoke", args=[session.pk]), {"dossier": second.pk, "start": "09:30", "end": "10:30"}
    )

    assert "Ce créneau chevauche celui de" in page_of(response)
    second.refresh_from_db()
    assert second.status == S.READY_FOR_JURY


def test_the_next_free_slot_is_suggested(certifier_client, cert, session):
    services.convoke(
        session,
        dossier_in_state(S.READY_FOR_JURY, certification=cert),
        None,
        **slot(session, "09:00", "10:15"),
    )
    dossier_in_state(S.READY_FOR_JURY, certification=cert)
    response = certifier_client.get(reverse("backoffice:session", args=[session.pk]))
    assert response.context["convoke_form"].initial == {"start": dt.time(10, 15), "end": dt.time(11, 15)}


def test_rescheduling_and_cancelling_from_the_page(certifier_client, cert, session):
    dossier = dossier_in_state(S.READY_FOR_JURY, certification=cert)
    conv = services.convoke(session, dossier, None, **slot(session, "09:00", "10:00"))
    later = make_session(cert, days=15)

    certifier_client.post(
        reverse("backoffice:convocation_reschedule", args=[conv.pk]),
        {"session": later.pk, "start": "14:00", "end": "15:00", "notice": "Jury incomplet le 10."},
    )
    conv.refresh_from_db()
    assert conv.session == later and conv.status == ConvocationStatus.RESCHEDULED

    response = certifier_client.post(reverse("backoffice:convocation_cancel", args=[conv.pk]), {"notice": ""})
    assert "Ce champ est obligatoire" in page_of(response)
    certifier_client.post(reverse("backoffice:convocation_cancel", args=[conv.pk]), {"notice": "Demande du candidat."})
    conv.refresh_from_db()
    dossier.refresh_from_db()
    assert conv.status == ConvocationStatus.CANCELLED
    assert dossier.status == S.READY_FOR_JURY


def test_attendance_is_recorded_on_the_day(certifier_client, cert):
    session = make_session(cert, days=1)
    conv = services.convoke(
        session,
        dossier_in_state(S.READY_FOR_JURY, certification=cert),
        None,
        **slot(session, "09:00", "10:00"),
    )
    url = reverse("backoffice:convocation_attendance", args=[conv.pk])
    response = certifier_client.post(url, {"attendance": Attendance.PRESENT}, follow=True)
    assert "pas commencé" in page_of(response)

    JurySession.objects.filter(pk=session.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    assert "Enregistrer" in page_of(certifier_client.get(reverse("backoffice:session", args=[session.pk])))
    certifier_client.post(url, {"attendance": Attendance.ABSENT})
    conv.refresh_from_db()
    assert conv.attendance == Attendance.ABSENT


def test_cancelling_the_session_from_its_page(certifier_client, cert, session):
    dossier = dossier_in_state(S.READY_FOR_JURY, certification=cert)
    services.convoke(session, dossier, None, **slot(session, "09:00", "10:00"))
    certifier_client.post(reverse("backoffice:session_cancel", args=[session.pk]), {"notice": "Grève des transports."})
    session.refresh_from_db()
    dossier.refresh_from_db()
    assert session.status == "cancelled"
    assert dossier.status == S.READY_FOR_JURY
    assert not Convocation.objects.live().exists()


def test_editing_a_session(certifier_client, session):
    day = timezone.localdate(session.starts_at)
    certifier_client.post(
        reverse("backoffice:session_edit", args=[session.pk]),
        {"date": day.isoformat(), "time": "14:00", "place": "Salle B", "capacity": 6},
    )
    session.refresh_from_db()
    assert (session.place, session.capacity, timezone.localtime(session.starts_at).hour) == ("Salle B", 6, 14)


def test_the_dashboard_shows_states_upcoming_sessions_and_sessions_waiting_for_minutes(certifier_client, cert):
    dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)
    dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert)
    upcoming = make_session(cert, days=5)
    past = make_session(cert, days=-3)

    response = certifier_client.get(reverse("backoffice:dashboard"))

    states = {state.value: n for state, n in response.context["states"]}
    assert states[S.FEASIBILITY_SUBMITTED] == 1
    assert states[S.VALIDATION_SUBMITTED] == 1
    assert list(response.context["upcoming"]) == [upcoming]
    assert list(response.context["awaiting_minutes"]) == [past]
    page = page_of(response)
    assert "Sessions en attente de procès-verbal" in page
    assert reverse("backoffice:session", args=[past.pk]) in page


def test_the_session_page_needs_a_fixed_number_of_queries(certifier_client, cert, django_assert_max_num_queries):
    small, big = make_session(cert, days=5), make_session(cert, days=6, capacity=10)
    services.add_member(small, None, email="m0@example.org", role=JuryRole.TRAINER)
    for i in range(4):
        services.add_member(big, None, email=f"m{i + 1}@example.org", role=JuryRole.PROFESSIONAL)
    services.convoke(
        small,
        dossier_in_state(S.READY_FOR_JURY, certification=cert),
        None,
        **slot(small, "09:00", "10:00"),
    )
    for i in range(4):
        services.convoke(
            big,
            dossier_in_state(S.READY_FOR_JURY, certification=cert),
            None,
            **slot(big, f"{9 + i:02d}:00", f"{10 + i:02d}:00"),
        )
    dossier_in_state(S.READY_FOR_JURY, certification=cert)
    # (with the links members declared, the jury's decisions, the procès-verbal and its documents,
    # the composition check against signing and the agreement figures)
    with django_assert_max_num_queries(19) as ctx:
        certifier_client.get(reverse("backoffice:session", args=[small.pk]))
    count = len(ctx.captured_queries)
    with django_assert_max_num_queries(19) as ctx:
        certifier_client.get(reverse("backoffice:session", args=[big.pk]))
    assert len(ctx.captured_queries) == count


def test_the_sessions_list_shows_25_sessions_a_page_each_list_paginated_on_its_own(certifier_client, cert):
    upcoming = [make_session(cert, days=d, actor=UserFactory(admin=True)) for d in range(1, 28)]
    past = make_session(cert, days=-3)
    url = reverse("backoffice:sessions")

    first = page_of(certifier_client.get(url))
    second = page_of(certifier_client.get(url, {"a_venir": 2, "passees": 1}))

    def listed(text: str) -> list[int]:
        return [s.pk for s in [*upcoming, past] if reverse("backoffice:session", args=[s.pk]) + '"' in text]

    assert listed(first) == [s.pk for s in upcoming[:25]] + [past.pk]
    assert "Page 1 sur 2" in first and "?a_venir=2" in first
    # Each list's navigation has its own name (two named alike cannot be told apart).
    assert 'aria-label="Pages des sessions à venir"' in first
    assert listed(second) == [s.pk for s in upcoming[25:]] + [past.pk]
    assert "?a_venir=1&passees=1" in second  # the other list's page is kept
