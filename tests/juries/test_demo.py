import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

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
    # minutes, 2 letters, 2 attestations, 2 convocations
    assert JuryDocument.objects.of_session(past).count() == 7
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


def test_seed_demo_shows_candidat5_their_convocation_with_its_pdf_and_calendar_file(client):
    import icalendar

    from documents import pdf
    from dossiers.enums import DossierStatus
    from dossiers.models import TransitionLog
    from juries.enums import JuryDocumentKind
    from juries.formats import when
    from juries.models import Convocation

    call_command("seed_demo", force=True, stdout=io.StringIO())

    conv = Convocation.objects.get(dossier__candidate__email="candidat5@vae.example")
    assert conv.dossier.certification.code == "RNCP35203"
    assert timezone.localdate(conv.starts_at) == timezone.localdate(conv.session.starts_at) > timezone.localdate()
    document = JuryDocument.objects.get(convocation=conv, kind=JuryDocumentKind.CONVOCATION)
    assert document.status == DocumentStatus.DONE and document.pages >= 1
    assert client.login(email="candidat5@vae.example", password=PASSWORD)
    body = client.get(reverse("dossiers:detail", args=[conv.dossier.pk])).content.decode()
    assert "Convocation au jury" in body and "École 3A" in body and "certif.aptim@vae.example" in body
    assert client.get(reverse("juries:convocation_pdf", args=[conv.pk]))["Content-Type"] == "application/pdf"
    event = icalendar.Calendar.from_ical(client.get(reverse("juries:convocation_ics", args=[conv.pk])).content)
    assert event.walk("VEVENT")[0].decoded("DTSTART") == conv.starts_at

    # The sessions moved after programming (today's, the past one) say their own dates everywhere.
    for moved in Convocation.objects.filter(
        dossier__candidate__email__in=["candidat7@vae.example", "candidat9@vae.example"]
    ):
        log = TransitionLog.objects.get(dossier=moved.dossier, to_status=DossierStatus.SCHEDULED)
        assert when(moved.starts_at) in log.comment
        html = pdf.kind_html(JuryDocument.objects.get(convocation=moved, kind=JuryDocumentKind.CONVOCATION))
        assert date_format(timezone.localtime(moved.starts_at), "l j F Y") in html
        assert f"de {timezone.localtime(moved.starts_at):%-H} h 00" in html


def test_every_demo_dossier_tells_its_story_in_order_and_the_past_jury_s_before_its_session():
    from certifications.models import Certification
    from dossiers.enums import DossierStatus
    from dossiers.models import Dossier, Snapshot

    call_command("seed_demo", force=True, stdout=io.StringIO())
    now = timezone.now()

    for dossier in Dossier.objects.all():
        moments = list(dossier.transitions.order_by("pk").values_list("created_at", flat=True))
        assert moments == sorted(moments), dossier.candidate.email
        assert moments[-1] <= now and dossier.created_at <= moments[0], dossier.candidate.email

    past = JurySession.objects.get(notes__contains="procès-verbal signé")
    for convocation in past.convocations.select_related("dossier"):
        dossier = convocation.dossier
        before_jury = dossier.transitions.filter(pk__lte=dossier.transitions.get(to_status="scheduled").pk)
        assert all(t.created_at < past.starts_at for t in before_jury), dossier.candidate.email
        jury_day = dossier.transitions.exclude(pk__in=before_jury)
        assert all(timezone.localdate(t.created_at) == timezone.localdate(past.starts_at) for t in jury_day)
        assert dossier.created_at < dossier.feasibility_submitted_at < dossier.validation_submitted_at < past.starts_at
        assert all(s.created_at < past.starts_at for s in Snapshot.objects.filter(dossier=dossier))
        assert convocation.created_at < past.starts_at
        assert all(e.created_at <= convocation.decisions.get().decided_at for e in convocation.evaluations.all())

    # RNCP35203's registration ended: its demo dossiers were opened before that day.
    expired = Certification.objects.get(code="RNCP35203", status="published")
    assert expired.registration_expired
    opened = Dossier.objects.filter(certification=expired).exclude(status=DossierStatus.WITHDRAWN)
    assert opened.exists()
    assert all(timezone.localdate(d.created_at) < expired.end_of_registration for d in opened)
