import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from messaging.models import Annotation, Message, MessageAttachment, MessageRead

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_candidat3_a_thread_and_aptim_an_annotation_once(client):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    call_command("seed_demo", force=True, stdout=io.StringIO())

    messages = list(Message.objects.order_by("pk"))
    assert [(m.side, m.author.email) for m in messages] == [
        ("candidate", "candidat3@vae.example"),
        ("certifier", "certif.aptim@vae.example"),
    ]
    assert MessageAttachment.objects.get().original_name == "courrier-employeur.pdf"
    assert MessageRead.objects.get().reader.email == "certif.aptim@vae.example"
    annotation = Annotation.objects.get()
    assert not annotation.is_blocking
    assert client.login(email="candidat3@vae.example", password="demo-vae-2026")
    page = client.get(reverse("messaging:thread", args=[messages[0].dossier_id])).content.decode()
    assert "Bien cordialement" in page and "Vérifier la durée" not in page
