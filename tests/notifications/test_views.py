"""The notifications menu: the unread count in the navigation, the list (read and unread),
opening one (marked read, then the page concerned), "tout marquer comme lu", and the e-mail
preferences. A person only ever sees and touches their own notifications."""

import pytest
from django.urls import reverse

from dossiers.enums import DossierStatus as S
from notifications import services
from notifications.enums import Frequency
from notifications.models import Notification
from tests.factories import UserFactory, certifier_of, dossier_in_state, make_certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    certification = make_certification(published=True, title="Technicien de maintenance")
    staff = certifier_of(certification, first_name="Alice", last_name="Martin")
    candidate = UserFactory(first_name="Léa", last_name="Durand")
    dossier = dossier_in_state(S.FEASIBILITY_INCOMPLETE, candidate=candidate, certification=certification)
    other = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=certification)
    return {"staff": staff, "candidate": candidate, "dossier": dossier, "other": other}


def test_the_navigation_shows_the_unread_count_to_a_signed_in_person(client, world):
    client.force_login(world["candidate"])

    page = client.get(reverse("dossiers:list")).content.decode()

    assert f'href="{reverse("notifications:list")}"' in page
    assert "(1 non lue)" in page


def test_the_navigation_has_no_notifications_for_an_anonymous_visitor(client):
    page = client.get(reverse("certifications:catalogue")).content.decode()
    assert reverse("notifications:list") not in page


def test_the_list_shows_ones_own_notifications_read_and_unread_and_never_anothers(client, world):
    staff_notifications = Notification.objects.filter(recipient=world["staff"])
    services.mark_read(world["staff"], staff_notifications.last().pk)
    client.force_login(world["staff"])

    page = client.get(reverse("notifications:list")).content.decode()

    assert page.count("Nouvelle demande de recevabilité — Technicien de maintenance") == 2
    assert "Léa Durand" in page  # the candidate, through the dossier
    assert "1 non lue." in page and "Non lue" in page and ">Lue<" not in page.replace("\n", "")
    assert "Votre dossier" not in page  # the candidate's notification is theirs


def test_opening_a_notification_marks_it_read_and_goes_to_the_page_concerned(client, world):
    notification = Notification.objects.get(recipient=world["candidate"])
    client.force_login(world["candidate"])

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{world['dossier'].pk}/"
    notification.refresh_from_db()
    assert notification.is_read


@pytest.mark.parametrize("who", ["staff", "other_candidate", "jury"])
def test_another_persons_notification_is_a_404_and_stays_unread(client, world, who):
    notification = Notification.objects.get(recipient=world["candidate"])
    user = {"staff": world["staff"], "other_candidate": world["other"].candidate, "jury": UserFactory()}[who]
    client.force_login(user)

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, world):
    notification = Notification.objects.get(recipient=world["candidate"])
    for url in [
        reverse("notifications:list"),
        reverse("notifications:open", args=[notification.pk]),
        reverse("notifications:preferences"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_mark_all_as_read_marks_only_ones_own(client, world):
    client.force_login(world["staff"])

    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    assert "2 notifications marquées comme lues." in response.content.decode()
    assert not Notification.objects.filter(recipient=world["staff"], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world["candidate"], read_at__isnull=True).count() == 1
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405


def test_the_list_costs_the_same_number_of_queries_whatever_its_length(client, world, django_assert_max_num_queries):
    client.force_login(world["staff"])
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("notifications:list"))
    for _ in range(5):
        dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=world["dossier"].certification)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("notifications:list"))


def test_staff_choose_how_they_are_emailed_for_each_of_their_events(client, world):
    client.force_login(world["staff"])
    page = client.get(reverse("notifications:preferences")).content.decode()
    for label in ["Nouvelle demande de recevabilité", "Dossier de validation déposé", "Message d&#x27;un candidat"]:
        assert label in page
    assert "immédiatement" in page and "résumé quotidien" in page and "jamais" in page

    response = client.post(
        reverse("notifications:preferences"),
        {
            "feasibility_submitted": "immediate",
            "validation_submitted": "never",
            "message": "daily",
            "message_reply": "immediate",
            "message_accompagnateur": "never",
        },
        follow=True,
    )

    assert "Vos préférences de notification sont enregistrées." in response.content.decode()
    prefs = services.preferences_of(world["staff"])
    assert prefs["feasibility_submitted"] == Frequency.IMMEDIATE
    assert prefs["validation_submitted"] == Frequency.NEVER
    assert prefs["message"] == Frequency.DAILY
    assert prefs["message_accompagnateur"] == Frequency.NEVER


def test_a_candidate_chooses_only_for_the_messages_they_receive(client, world):
    client.force_login(world["candidate"])

    page = client.get(reverse("notifications:preferences")).content.decode()
    client.post(
        reverse("notifications:preferences"),
        {"message_reply": "never", "message_accompagnateur": "daily", "feasibility_submitted": "immediate"},
    )

    assert "Message du certificateur sur votre dossier" in page
    assert "Message de l&#x27;accompagnateur d&#x27;un dossier" in page
    assert "Nouvelle demande de recevabilité" not in page
    prefs = services.preferences_of(world["candidate"])
    assert prefs["message_reply"] == Frequency.NEVER
    assert prefs["message_accompagnateur"] == Frequency.DAILY
    assert prefs["feasibility_submitted"] == Frequency.DAILY  # not theirs to choose: ignored


def test_an_unknown_frequency_is_refused_with_the_forms_french_message(client, world):
    client.force_login(world["staff"])

    response = client.post(reverse("notifications:preferences"), {"feasibility_submitted": "hourly"})

    assert "Sélectionnez un choix valide" in response.content.decode()
    assert services.preferences_of(world["staff"])["feasibility_submitted"] == Frequency.DAILY


def test_the_profile_page_links_to_the_preferences(client, world):
    client.force_login(world["candidate"])
    assert reverse("notifications:preferences") in client.get(reverse("accounts:profile")).content.decode()


def test_a_notification_whose_link_leaves_the_site_opens_the_list_instead(client, world):
    (notification,) = services.notify(
        [world["candidate"]], "message_reply", dossier=world["dossier"], url="https://evil.example/"
    )
    client.force_login(world["candidate"])

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response["Location"] == reverse("notifications:list")
