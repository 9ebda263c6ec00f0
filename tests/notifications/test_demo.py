import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from notifications import services
from notifications.enums import Frequency
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_certifier_and_candidates_notifications_and_choices_once(client):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    call_command("seed_demo", force=True, stdout=io.StringIO())

    prefs = services.preferences_of(_user("certif.aptim@vae.example"))
    assert prefs["feasibility_submitted"] == Frequency.IMMEDIATE
    assert prefs["validation_submitted"] == Frequency.DAILY
    assert prefs["message"] == Frequency.NEVER
    staff_events = set(
        Notification.objects.filter(recipient__email="certif.aptim@vae.example").values_list("event", flat=True)
    )
    assert {"feasibility_submitted", "validation_submitted"} <= staff_events
    mine = Notification.objects.filter(recipient__email="candidat1@vae.example")
    assert mine.filter(read_at__isnull=False).count() == 1
    assert mine.filter(read_at__isnull=True).exists()
    assert mail.outbox == []

    assert client.login(email="certif.aptim@vae.example", password="demo-vae-2026")
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Nouvelle demande de recevabilité" in page and "Tout marquer comme lu" in page


def _user(email):
    from accounts.models import User

    return User.objects.get(email=email)
