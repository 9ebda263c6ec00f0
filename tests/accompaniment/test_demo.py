import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accompaniment.enums import AccompanimentState
from accompaniment.models import Accompaniment, Comment, Meeting, Organisation

pytestmark = pytest.mark.django_db

PASSWORD = "demo-vae-2026"


def test_seed_demo_gives_each_accompagnateur_their_own_candidate_once(client):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    call_command("seed_demo", force=True, stdout=io.StringIO())

    assert Organisation.objects.count() == 2
    first = Accompaniment.objects.get(organisation__staff__user__email="aap1@vae.example")
    assert first.state == AccompanimentState.ACCEPTED
    assert first.dossier.candidate.email == "candidat1@vae.example"
    assert (first.dossier.certification.code, first.dossier.status) == ("RNCP35203", "admissible")
    assert Comment.objects.filter(accompaniment=first).count() == 3
    assert Meeting.objects.filter(accompaniment=first).count() == 2
    second = Accompaniment.objects.get(organisation__staff__user__email="aap2@vae.example")
    assert second.dossier.candidate.email == "candidat2@vae.example" and second.opinion.verdict == "favorable"

    assert client.login(username="aap1@vae.example", password=PASSWORD)
    home = client.get(reverse("accompaniment:home")).content.decode()
    assert "Hugo Garnier" in home and "Inès Faure" not in home
    page = client.get(reverse("accompaniment:dossier", args=[first.dossier_id]))
    assert page.status_code == 200
    assert client.get(reverse("accompaniment:dossier", args=[second.dossier_id])).status_code == 404
