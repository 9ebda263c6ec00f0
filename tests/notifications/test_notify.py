"""notify(): a notification per recipient in the transaction of the change, and the e-mail per
each person's preference for the event (immédiatement, résumé quotidien, jamais). Certifier staff
are told of new recevabilité requests, dossiers de validation deposited and candidates'
messages; candidates see their dossier's changes of state."""

import pytest
from django.core import mail
from django.db import transaction

from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from notifications import services
from notifications.enums import EmailStatus, Frequency
from notifications.models import Notification
from tests.emails import assert_html_says_the_same
from tests.factories import UserFactory, certifier_of, dossier_in_state, fill_feasibility, make_certification
from tests.notifications.helpers import assert_french_typography, assert_no_dossier_content

pytestmark = pytest.mark.django_db

HOST = "http://127.0.0.1:8080"


@pytest.fixture(autouse=True)
def _real_host(settings):
    settings.SITE_URL = HOST


@pytest.fixture
def certification():
    return make_certification(published=True, title="Conseiller en insertion professionnelle")


def _request(certification, django_capture_on_commit_callbacks, candidate=None):
    dossier = dossier_in_state(
        S.DRAFT, candidate=candidate or UserFactory(last_name="Dupuis-Candidate"), certification=certification
    )
    fill_feasibility(dossier)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.request_feasibility(dossier, dossier.candidate)
    return dossier


def test_a_new_recevabilite_request_notifies_the_staff_and_waits_for_the_daily_summary_by_default(
    certification, django_capture_on_commit_callbacks
):
    staff = certifier_of(certification)
    outsider = certifier_of(make_certification(published=True))

    dossier = _request(certification, django_capture_on_commit_callbacks)

    (notification,) = Notification.objects.filter(recipient=staff)
    assert notification.event == "feasibility_submitted"
    assert notification.text == "Nouvelle demande de recevabilité — Conseiller en insertion professionnelle"
    assert notification.url == f"/certificateur/dossiers/{dossier.pk}/"
    assert notification.email_status == EmailStatus.PENDING
    assert [m.to for m in mail.outbox] == [[dossier.candidate.email]]  # the candidate's only
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_staff_who_chose_immediately_are_emailed_on_commit_with_a_link_on_the_real_host_and_no_dossier_content(
    certification, django_capture_on_commit_callbacks
):
    staff = certifier_of(certification, first_name="Alice", last_name="Martin")
    services.set_preferences(staff, {"feasibility_submitted": Frequency.IMMEDIATE})

    dossier = _request(certification, django_capture_on_commit_callbacks)

    (message,) = [m for m in mail.outbox if m.to == [staff.email]]
    assert message.subject == "Nouvelle demande de recevabilité — Conseiller en insertion professionnelle"
    body = message.body
    assert body.startswith("Bonjour Alice Martin,\n")
    assert f"certification «\u00a0Conseiller en insertion professionnelle\u00a0» (dossier n° {dossier.pk})" in body
    assert "en attente de votre décision" in body
    assert "déclarez-la recevable, à compléter ou non recevable" in body
    assert f"{HOST}/certificateur/dossiers/{dossier.pk}/\n" in body
    assert f"{HOST}/notifications/preferences/\n" in body
    assert "Dupuis-Candidate" not in body
    assert body.endswith(f"{certification.certifiers.get()}, via le Portail VAE\n{HOST}\n")
    assert_no_dossier_content(body)
    assert_french_typography(body)
    assert_html_says_the_same(message)
    assert Notification.objects.get(recipient=staff).email_status == EmailStatus.SENT


def test_staff_who_chose_never_get_the_notification_and_no_email(certification, django_capture_on_commit_callbacks):
    staff = certifier_of(certification)
    services.set_preferences(staff, {"feasibility_submitted": Frequency.NEVER})

    _request(certification, django_capture_on_commit_callbacks)

    assert Notification.objects.get(recipient=staff).email_status == EmailStatus.NONE
    assert not [m for m in mail.outbox if m.to == [staff.email]]


def test_a_dossier_de_validation_deposited_is_emailed_to_staff_who_chose_so(
    certification, django_capture_on_commit_callbacks
):
    staff = certifier_of(certification)
    services.set_preferences(staff, {"validation_submitted": Frequency.IMMEDIATE})

    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_in_state(S.VALIDATION_SUBMITTED, certification=certification, certifier_user=staff)

    (message,) = [m for m in mail.outbox if m.to == [staff.email]]
    assert message.subject == "Dossier de validation déposé — Conseiller en insertion professionnelle"
    assert "Il attend que vous vérifiiez qu'il est complet" in message.body
    assert "déclarez-le complet" in message.body
    assert f"{HOST}/certificateur/dossiers/{dossier.pk}/" in message.body
    assert_no_dossier_content(message.body)
    assert_french_typography(message.body)
    # the recevabilité request before it: in the daily summary, as by default
    assert Notification.objects.get(recipient=staff, event="feasibility_submitted").email_status == EmailStatus.PENDING


def test_the_person_who_acted_is_not_notified_of_their_own_act(certification, django_capture_on_commit_callbacks):
    staff = certifier_of(certification)
    candidate = UserFactory()

    dossier = _request(certification, django_capture_on_commit_callbacks, candidate=candidate)
    dossier_services.decide_feasibility(dossier, staff, S.ADMISSIBLE)

    assert list(Notification.objects.filter(recipient=candidate).values_list("text", flat=True)) == [
        "Votre dossier «\u00a0Conseiller en insertion professionnelle\u00a0» est maintenant "
        "«\u00a0recevable, dossier de validation à rédiger\u00a0»"
    ]
    assert list(Notification.objects.filter(recipient=staff).values_list("event", flat=True)) == [
        "feasibility_submitted"
    ]


def test_the_candidate_sees_each_change_of_state_without_a_second_email(
    certification, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_in_state(S.FEASIBILITY_INCOMPLETE, certification=certification)

    notification = Notification.objects.filter(recipient=dossier.candidate).get()  # their own request: none
    assert notification.text.endswith("«\u00a0demande de recevabilité à compléter\u00a0»")
    assert notification.url == f"/dossiers/{dossier.pk}/"
    assert notification.email_status == EmailStatus.NONE
    assert len(mail.outbox) == 2  # the two transition e-mails of the dossiers app, nothing more


def test_a_message_from_a_candidate_is_told_to_the_staff_without_its_text(
    certification, django_capture_on_commit_callbacks
):
    staff = certifier_of(certification)
    services.set_preferences(staff, {"message": Frequency.IMMEDIATE})
    dossier = dossier_in_state(S.ADMISSIBLE, certification=certification)

    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = services.notify(
            [staff], "message", dossier=dossier, url=f"/certificateur/dossiers/{dossier.pk}/#messages"
        )

    (message,) = [m for m in mail.outbox if m.to == [staff.email]]
    assert message.subject == "Nouveau message d'un candidat — Conseiller en insertion professionnelle"
    assert f"dossier n° {dossier.pk}, recevable, dossier de validation à rédiger" in message.body
    assert f"{HOST}/certificateur/dossiers/{dossier.pk}/#messages" in message.body
    assert_french_typography(message.body)
    assert notification.recipient == staff


def test_a_message_for_the_candidate_is_emailed_at_once_by_default(certification, django_capture_on_commit_callbacks):
    dossier = dossier_in_state(S.ADMISSIBLE, certification=certification)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.notify([dossier.candidate], "message_reply", dossier=dossier)

    (message,) = mail.outbox
    assert message.subject == "Nouveau message du certificateur — Conseiller en insertion professionnelle"
    assert f"{HOST}/dossiers/{dossier.pk}/" in message.body
    assert "Lisez son message sur votre dossier" in message.body


def test_nothing_is_notified_for_work_that_rolled_back(certification, django_capture_on_commit_callbacks):
    staff = certifier_of(certification)
    services.set_preferences(staff, {"message": Frequency.IMMEDIATE})
    dossier = dossier_in_state(S.ADMISSIBLE, certification=certification)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.notify([staff], "message", dossier=dossier)
        raise RuntimeError("refused")

    assert not Notification.objects.filter(recipient=staff, event="message").exists()
    assert not [m for m in mail.outbox if m.to == [staff.email]]


def test_inactive_accounts_and_duplicates_are_dropped_and_a_once_key_notifies_once(certification):
    dossier = dossier_in_state(S.ADMISSIBLE, certification=certification)
    active, inactive = UserFactory(), UserFactory(is_active=False)

    first = services.notify([active, active, inactive], "message", dossier=dossier, once_key="k1")
    again = services.notify([active], "message", dossier=dossier, once_key="k1")

    assert [n.recipient for n in first] == [active]
    assert again == []


def test_an_unknown_event_is_refused():
    with pytest.raises(ValueError, match="Unknown notification event"):
        services.notify([UserFactory()], "nope")


def test_choosing_the_default_again_removes_the_stored_choice():
    user = UserFactory()
    services.set_preferences(user, {"feasibility_submitted": Frequency.NEVER})
    assert services.preferences_of(user)["feasibility_submitted"] == Frequency.NEVER

    services.set_preferences(user, {"feasibility_submitted": Frequency.DAILY})

    assert services.preferences_of(user)["feasibility_submitted"] == Frequency.DAILY
    assert not user.notification_preferences.exists()


def test_the_candidate_sees_their_convocation_and_then_their_result_in_the_portal(django_capture_on_commit_callbacks):
    from tests.juries.helpers import decided, jury_session, sign_all

    with django_capture_on_commit_callbacks(execute=True):
        session, members, (conv,) = jury_session()
    candidate = conv.dossier.candidate
    (convocation,) = Notification.objects.filter(recipient=candidate, event="convocation")
    assert convocation.text.startswith(f"Convocation au jury — {session.certification.title}")
    assert convocation.url == f"/dossiers/{conv.dossier.pk}/"
    assert convocation.email_status == EmailStatus.NONE  # the juries app's convocation e-mail says it
    assert not Notification.objects.filter(recipient=candidate, event="jury_result").exists()

    decided(session, members, conv)
    assert not Notification.objects.filter(recipient=candidate, event="jury_result").exists()  # not yet released
    sign_all(session, members)

    (result,) = Notification.objects.filter(recipient=candidate, event="jury_result")
    assert result.text == f"Le résultat de votre jury est disponible — {session.certification.title}"
    assert result.url == f"/dossiers/{conv.dossier.pk}/#resultat"
    assert not Notification.objects.filter(recipient=candidate, event="dossier_transition", text__contains="décision")
