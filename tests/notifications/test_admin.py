import pytest
from django.urls import reverse

from dossiers.enums import DossierStatus as S
from notifications import services
from notifications.enums import Frequency
from tests.factories import UserFactory, certifier_of, dossier_in_state, make_certification

pytestmark = pytest.mark.django_db


def test_the_admin_lists_searches_and_filters_notifications_and_preferences(client):
    certification = make_certification(published=True, title="Agent de propreté")
    staff = certifier_of(certification, email="alice.staff@example.org")
    services.set_preferences(staff, {"message": Frequency.NEVER})
    dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=certification)
    client.force_login(UserFactory(admin=True))

    notifications = reverse("admin:notifications_notification_changelist")
    page = client.get(notifications, {"q": "alice.staff"}).content.decode()
    assert "Nouvelle demande de recevabilité — Agent de propreté" in page
    filtered = client.get(notifications, {"event": "feasibility_submitted", "email_status": "pending"})
    assert "alice.staff@example.org" in filtered.content.decode()
    assert "alice.staff" not in client.get(notifications, {"event": "message"}).content.decode()

    preferences = client.get(reverse("admin:notifications_notificationpreference_changelist"), {"q": "alice"})
    assert "alice.staff@example.org" in preferences.content.decode()
