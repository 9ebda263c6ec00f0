"""The candidate's RGPD archive holds their thread and the staff's annotations about them
(docs/messaging.md); erasing a dossier's content erases both."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from dossiers.enums import DossierStatus as S
from messaging import services
from messaging.models import Annotation, Message, MessageAttachment
from privacy import erasure
from tests.factories import MINIMAL_PDF, UserFactory, dossier_in_state, pdf_upload

pytestmark = pytest.mark.django_db


def _archive(client, user) -> tuple[zipfile.ZipFile, dict]:
    client.force_login(user)
    response = client.get(reverse("accounts:data_export"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return archive, json.loads(archive.read("mes-donnees.json"))


def test_the_archive_holds_the_thread_with_its_files_and_receipts(client, dossier, candidate, certifier):
    services.post_message(dossier, candidate, "Ma question", files=[pdf_upload("q.pdf")])
    services.mark_read(dossier, certifier)
    services.post_message(dossier, certifier, "La réponse")
    archive, data = _archive(client, candidate)
    mine, theirs = data["dossiers"][0]["messages"]
    assert (mine["by"], mine["text"], len(mine["read_at"])) == ("vous", "Ma question", 1)
    assert (theirs["by"], theirs["text"], theirs["read_at"]) == ("certificateur", "La réponse", [])
    assert archive.read(mine["attachments"][0]["file"]) == MINIMAL_PDF
    assert "Claire" not in json.dumps(data["dossiers"][0]["messages"])  # staff appear as a role only


def test_the_archive_names_the_accompagnateurs_messages_by_their_organisation(client, dossier, candidate):
    from tests.accompaniment.helpers import accompany, make_organisation, staff_of

    organisation = make_organisation(dossier.certification, name="Cap VAE Test")
    aap = staff_of(organisation, first_name="Jeanne", last_name="Lefèvre")
    accompany(dossier, organisation, aap)
    services.post_message(dossier, aap, "Le mot de l'organisme")
    _archive_file, data = _archive(client, candidate)
    (exported,) = data["dossiers"][0]["messages"]
    assert (exported["by"], exported["text"]) == ("accompagnateur (Cap VAE Test)", "Le mot de l'organisme")
    assert "Lefèvre" not in json.dumps(data["dossiers"][0]["messages"])


def test_the_archive_holds_the_annotations_about_the_candidate_without_their_author(
    client, dossier, candidate, certifier
):
    annotation = services.add_annotation(dossier, certifier, "Expérience à vérifier", blocks_decision=True)
    services.resolve_annotation(annotation, certifier)
    _archive_file, data = _archive(client, candidate)
    (exported,) = data["dossiers"][0]["certifier_annotations"]
    assert exported["text"] == "Expérience à vérifier"
    assert exported["by"] == "certificateur"
    assert exported["to_handle_before_decision"] is True and exported["handled_at"]
    assert certifier.email not in json.dumps(data) and "Dupont" not in json.dumps(data)


def test_another_candidate_gets_none_of_it(client, dossier, candidate, certifier):
    services.post_message(dossier, candidate, "Ma question")
    services.add_annotation(dossier, certifier, "Expérience à vérifier")
    _archive_file, data = _archive(client, UserFactory())
    assert "Ma question" not in json.dumps(data) and "Expérience à vérifier" not in json.dumps(data)


def test_erasing_a_kept_dossier_erases_its_thread_files_and_annotations(
    certification, candidate, certifier, django_capture_on_commit_callbacks
):
    dossier = dossier_in_state(
        S.INADMISSIBLE, candidate=candidate, certification=certification, certifier_user=certifier
    )
    message = services.post_message(dossier, candidate, "Pourquoi ?", files=[pdf_upload()])
    path = Path(message.attachments.get().file.path)
    services.add_annotation(dossier, certifier, "Candidat insistant")
    with django_capture_on_commit_callbacks(execute=True):
        erasure.erase_dossier_content(dossier)
    assert not Message.objects.filter(dossier=dossier).exists()
    assert not MessageAttachment.objects.exists()
    assert not Annotation.objects.filter(dossier=dossier).exists()
    assert not path.exists()
