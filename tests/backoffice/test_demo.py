import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from backoffice.demo import SESSION_NOTE
from dossiers.enums import DossierStatus as S
from dossiers.models import Dossier
from juries import queries
from juries.models import JurySession

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_certifiers_real_work_once(client):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    call_command("seed_demo", force=True, stdout=io.StringIO())

    mine = Dossier.objects.filter(candidate__email__in=[f"candidat{i}@vae.example" for i in (3, 4, 5, 6)])
    states = sorted(mine.values_list("certification__code", "status"))
    assert states == sorted(
        [
            ("RNCP35203", S.FEASIBILITY_SUBMITTED),
            ("RNCP35203", S.VALIDATION_SUBMITTED),
            ("RNCP35203", S.READY_FOR_JURY),
            ("RNCP35203", S.SCHEDULED),
            ("RNCP41296", S.FEASIBILITY_SUBMITTED),
            ("RNCP41296", S.VALIDATION_SUBMITTED),
        ]
    )
    session = JurySession.objects.get(notes=SESSION_NOTE)
    assert not session.is_past
    assert sorted(session.members.values_list("user__email", flat=True)) == [
        "certif.aptim@vae.example",
        "jury1@vae.example",
        "jury2@vae.example",
        "jury3@vae.example",
    ]
    assert queries.composition(session).ok
    assert session.convocations.get().dossier.candidate.email == "candidat5@vae.example"
    assert mail.outbox == []

    # The APTIM certifier logs in with the demo password and finds the work.
    assert client.login(email="certif.aptim@vae.example", password="demo-vae-2026")

    queue = client.get(reverse("backoffice:queue"), {"status": S.FEASIBILITY_SUBMITTED})
    assert [d.candidate.email for d in queue.context["page"]] == ["candidat3@vae.example"]
    assert client.login(email="candidat3@vae.example", password="demo-vae-2026")
