import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from messaging.models import Annotation, Message, MessageAttachment, MessageRead

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_candidat3_a_thread_aptim_an_annotation_and_aap1_a_message_once(client):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    call_command("seed_demo", force=True, stdout=io.StringIO())

    messages = list(Message.objects.order_by("pk"))
    assert [(m.side, m.author.email) for m in messages] == [
        ("candidate", "candidat3@vae.example"),
        ("certifier", "certif.aptim@vae.example"),
        ("accompagnateur", "aap1@vae.example"),
    ]
    assert messages[2].dossier.candidate.email == "candidat1@vae.example"
    assert messages[2].organisation.name == "Cap VAE Bretagne"
    assert MessageAttachment.objects.get().original_name == "courrier-employeur.pdf"
    assert MessageRead.objects.get().reader.email == "certif.aptim@vae.example"
    annotation = Annotation.objects.get()
    assert not annotation.is_blocking
    assert client.login(email="candidat3@vae.example", password="demo-vae-2026")
    page = client.get(reverse("messaging:thread", args=[messages[0].dossier_id])).content.decode()
    assert "Bien cordialement" in page and "Vérifier la durée" not in page


def test_candidat1_reads_the_accompagnateurs_demo_message_labelled_with_its_organisation(client):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    message = Message.objects.get(side="accompagnateur")
    assert client.login(email="candidat1@vae.example", password="demo-vae-2026")
    page = client.get(reverse("messaging:thread", args=[message.dossier_id])).content.decode()
    assert "Accompagnateur Cap VAE Bretagne" in page and "Jeanne Lefèvre" in page
