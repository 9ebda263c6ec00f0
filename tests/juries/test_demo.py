import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from documents.enums import DocumentStatus
from juries import queries
from juries.enums import EvaluationStatus, MinutesStatus
from juries.models import DivergenceSettlement, Evaluation, JuryDocument, JuryMember, JurySession

pytestmark = pytest.mark.django_db

PASSWORD = "demo-vae-2026"


def test_seed_demo_gives_the_jury_a_session_today_and_a_closed_one_once(client):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    call_command("seed_demo", force=True, stdout=io.StringIO())

    today = JurySession.objects.get(notes__contains="jury du jour")
    assert timezone.localdate(today.starts_at) == timezone.localdate()
    # The Askoria rule: a professional, a trainer and a resource person.
    assert sorted(today.members.values_list("user__email", "role")) == [
        ("jury1@vae.example", "president"),
        ("jury2@vae.example", "professional"),
        ("jury4@vae.example", "trainer"),
        ("jury5@vae.example", "resource_person"),
    ]
    assert queries.composition(today).ok
    assert sorted(today.convocations.values_list("dossier__candidate__email", flat=True)) == [
        "candidat7@vae.example",
        "candidat8@vae.example",
    ]
    scored = Evaluation.objects.filter(convocation__session=today)
    assert set(scored.values_list("member__user__email", "convocation__dossier__candidate__email", "status")) == {
        ("jury2@vae.example", "candidat7@vae.example", EvaluationStatus.VALIDATED),
        ("jury4@vae.example", "candidat7@vae.example", EvaluationStatus.VALIDATED),
    }
    assert scored.count() == 4  # both blocs, two members

    past = JurySession.objects.get(notes__contains="procès-verbal signé")
    assert past.minutes.status == MinutesStatus.FINAL
    assert set(JuryDocument.objects.of_session(past).values_list("status", flat=True)) == {DocumentStatus.DONE}
    assert JuryDocument.objects.of_session(past).count() == 5  # minutes, 2 letters, 2 attestations
    # A divergence settled by the président, in the procès-verbal with the agreement annex.
    (settled,) = DivergenceSettlement.objects.filter(convocation__session=past)
    assert settled.convocation.dossier.candidate.email == "candidat9@vae.example"
    (candidate9,) = [c for c in past.minutes.content["candidates"] if c["convocation"] == settled.convocation_id]
    assert candidate9["settlements"][0]["justification"] == settled.justification
    assert past.minutes.content["agreement"]["session"]["units"] == 12  # 2 candidates × 6 criteria

    # jury3 sits only on the APTIM session in three weeks.
    assert list(
        JuryMember.objects.filter(user__email="jury3@vae.example").values_list("session__notes", flat=True)
    ) == ["Session de démonstration"]

    # jury1 logs in and finds today's session; candidat9 reads the result.
    assert client.login(email="jury1@vae.example", password=PASSWORD)
    assert "candidat7" not in client.get(reverse("jury:sessions")).content.decode()  # names, not e-mails
    assert client.get(reverse("jury:session", args=[today.pk])).status_code == 200
    assert client.login(email="candidat9@vae.example", password=PASSWORD)
    dossier = past.convocations.get(dossier__candidate__email="candidat9@vae.example").dossier
    body = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Validation partielle de la certification visée en totalité" in body
    assert "Attestation de blocs acquis" in body
