"""RGPD: the candidate's archive and the deletion of their account include what the
accompaniment app holds about them; an accompagnateur's account is closed by an administrator."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from accompaniment import services
from accompaniment.models import Accompaniment, Comment, Meeting, Opinion
from dossiers.enums import DossierStatus as S
from tests.accompaniment.helpers import OPINION, accompany, make_organisation, staff_of
from tests.factories import PASSWORD, UserFactory, dossier_in_state, make_certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def accompanied():
    certification = make_certification(published=True)
    dossier = dossier_in_state(S.DRAFT, certification=certification)
    org = make_organisation(certification, name="Cap Avenir")
    aap = staff_of(org)
    accompaniment = accompany(dossier, org, aap)
    competency = dossier.targeted_competencies().first()
    services.add_comment(accompaniment, aap, "Précisez votre rôle auprès de Mme Durand.", competency=competency)
    services.give_opinion(accompaniment, aap, **OPINION)
    services.record_meeting(
        accompaniment,
        aap,
        starts_at=timezone.now(),
        duration_minutes=60,
        kind="individual",
        mode="remote",
        topic="Relecture avec Mme Durand",
    )
    return dossier, accompaniment, aap


def _delete(client, user):
    client.force_login(user)
    return client.post(reverse("accounts:delete_account"), {"password": PASSWORD, "understood": "on"})


def test_the_archive_holds_the_accompaniment_its_comments_opinion_and_meetings(client, accompanied):
    dossier, _accompaniment, _aap = accompanied
    client.force_login(dossier.candidate)
    response = client.get(reverse("accounts:data_export"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    (exported,) = json.loads(archive.read("mes-donnees.json"))["dossiers"]
    (row,) = exported["accompaniments"]
    assert row["organisation"]["name"] == "Cap Avenir" and row["state"] == "accepted"
    assert [c["text"] for c in row["comments"]] == ["Précisez votre rôle auprès de Mme Durand."]
    assert row["opinion"]["verdict"] == "favorable" and row["opinion"]["individual_hours"] == 12
    assert [m["topic"] for m in row["meetings"]] == ["Relecture avec Mme Durand"]


def test_deleting_the_account_deletes_a_draft_with_its_accompaniment(client, accompanied):
    dossier, accompaniment, _aap = accompanied
    _delete(client, dossier.candidate)
    assert not Accompaniment.objects.filter(pk=accompaniment.pk).exists()
    assert not Comment.objects.exists() and not Meeting.objects.exists()


def test_a_dossier_kept_anonymised_keeps_the_hours_but_not_what_was_written_about_the_candidate(client):
    certification = make_certification(published=True)
    dossier = dossier_in_state(S.DRAFT, certification=certification)
    org = make_organisation(certification)
    aap = staff_of(org)
    accompaniment = accompany(dossier, org, aap)
    services.add_comment(
        accompaniment, aap, "Nommez l'association.", experience=None, competency=dossier.targeted_competencies().first()
    )
    services.accept_parcours(services.give_opinion(accompaniment, aap, **OPINION), dossier.candidate)
    services.record_meeting(
        accompaniment,
        aap,
        starts_at=timezone.now(),
        duration_minutes=45,
        kind="collective",
        mode="on_site",
        topic="Atelier",
    )
    from dossiers import services as dossier_services
    from tests.factories import fill_feasibility

    fill_feasibility(dossier)
    dossier_services.request_feasibility(dossier, dossier.candidate)
    dossier_services.decide_feasibility(dossier, UserFactory(admin=True), S.INADMISSIBLE, "Hors champ.")
    services.end(accompaniment, aap, "Demande non recevable.")

    assert _delete(client, dossier.candidate).status_code == 302
    assert Accompaniment.objects.filter(pk=accompaniment.pk, reason="").exists()
    assert not Comment.objects.exists()
    opinion = Opinion.objects.get()
    assert (opinion.verdict, opinion.comment, opinion.recommendations) == ("favorable", "", "")
    assert list(Meeting.objects.values_list("duration_minutes", "topic")) == [(45, "")]


def test_an_accompagnateur_cannot_delete_their_own_account(client, accompanied):
    _dossier, _accompaniment, aap = accompanied
    response = _delete(client, aap)
    assert response.status_code == 403
    assert "accompagnateur" in response.content.decode()
    aap.refresh_from_db()
    assert aap.is_active
