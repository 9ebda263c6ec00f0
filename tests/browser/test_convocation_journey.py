"""From the convocation to the result, in real headless Chromium, on the pages users see: the
certifier convokes a candidate, who reads the convocation on their dossier page and downloads
its PDF and calendar file; on the session's day the jurors score, the président decides, both
sign; only then does the candidate read the result and receive its e-mail."""

from pathlib import Path

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from dossiers.enums import DossierStatus as S
from juries import services
from juries.enums import JuryRole
from juries.models import Convocation
from tests.browser.test_jury_journey import declare_and_score, log_in
from tests.factories import UserFactory, certifier_of, dossier_built_in_state, make_session
from tests.juries.helpers import four_level_certification, move_session, session_hour

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def eager_tasks():
    """PDFs and e-mails leave in the request that commits them (no worker in this test)."""
    from vae_portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def to(candidate):
    return [m for m in mail.outbox if candidate.email in m.to]


def test_the_certifier_convokes_the_candidate_gets_the_convocation_and_the_result_only_once_the_minutes_are_signed(
    page, eager_tasks
):
    cert = four_level_certification(title="Médiation sociale")
    first_bloc = cert.blocks.get(order=1)
    certifier = certifier_of(cert, email="certif@org.example", first_name="Alice", last_name="Martin")
    org = cert.certifiers.get()
    org.contact_email = "jury@org.example"
    org.save()
    hour = session_hour(0)
    session = make_session(cert, days=5, hour=hour, actor=certifier, instructions="Apportez votre livret 2.")
    president = UserFactory(email="presidente@example.org", first_name="Claire", last_name="Durand")
    professional = UserFactory(email="pro@example.org", first_name="Bruno", last_name="Petit")
    services.add_member(session, certifier, email=president.email, role=JuryRole.PRESIDENT)
    services.add_member(session, certifier, email=professional.email, role=JuryRole.PROFESSIONAL)
    dossier = dossier_built_in_state(
        S.READY_FOR_JURY, certification=cert, blocks=[first_bloc], certifier_user=certifier
    )
    candidate = dossier.candidate
    candidate.first_name, candidate.last_name = "Nina", "Lopez"
    candidate.save()
    mail.outbox.clear()

    # The certifier convokes the candidate from the session's page.
    log_in(page, certifier)
    page.goto(reverse("backoffice:session", args=[session.pk]))
    form = page.get_by_role("form", name="Convoquer un candidat")
    form.get_by_label("Dossier en attente de jury").select_option(
        label=f"Nina Lopez — {cert.code or cert.title[:40]} (v{cert.version})"
    )
    form.get_by_label("Début du créneau").fill(f"{hour:02d}:00")
    form.get_by_label("Fin du créneau").fill(f"{hour + 1:02d}:00")
    form.get_by_role("button", name="Convoquer").click()
    expect(page.get_by_role("alert")).to_contain_text("Convocation envoyée à")
    conv = Convocation.objects.get(dossier=dossier)
    (email,) = to(candidate)
    assert "vous convoque devant le jury" in email.body

    # The candidate reads the convocation and downloads the PDF and the calendar file.
    log_in(page, candidate)
    page.goto(dossier.get_absolute_url())
    section = page.locator("#convocation")
    expect(section).to_contain_text(f"de {hour} h 00 à {hour + 1} h 00")
    expect(section).to_contain_text("Salle du conseil")
    expect(section).to_contain_text("Apportez votre livret 2.")
    expect(section).to_contain_text("jury@org.example")
    with page.expect_download() as download:
        section.get_by_role("link", name="Télécharger ma convocation (PDF)").click()
    assert download.value.suggested_filename.startswith(f"convocation-jury-{dossier.pk}-")
    reader = PdfReader(download.value.path())
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Convocation au jury de VAE" in text and "Lopez" in text and "Médiation sociale" in text
    with page.expect_download() as download:
        section.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    assert download.value.suggested_filename == f"convocation-jury-{conv.pk}.ics"
    (event,) = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert event.decoded("DTSTART") == conv.starts_at and event.get("STATUS") == "CONFIRMED"

    # The session's day: the jurors declare, score; the président decides.
    move_session(session, -5)
    log_in(page, professional)
    declare_and_score(page, session, "Nina Lopez", ["Satisfaisant", "Excellent"])
    log_in(page, president)
    declare_and_score(page, session, "Nina Lopez", ["Excellent", "Excellent"])
    page.goto(reverse("jury:session", args=[session.pk]))
    row = page.locator("#convocations tr", has_text="Nina Lopez")
    row.get_by_label("présence", exact=True).check()
    row.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("Présence enregistrée")
    page.locator("#convocations tr", has_text="Nina Lopez").get_by_role("link", name="Délibérer").click()
    page.get_by_label("Validé", exact=True).check()
    page.get_by_label("Justification").fill("Les situations décrites démontrent la médiation en autonomie.")
    page.get_by_role("button", name="Calculer le résultat").click()
    page.get_by_role("button", name="Confirmer la décision").click()
    expect(page.get_by_role("alert")).to_contain_text("Décision enregistrée")
    page.get_by_role("link", name="Procès-verbal").click()
    page.get_by_role("button", name="Signer le procès-verbal").click()
    expect(page.locator("#minutes-status")).to_have_text("en attente des signatures")

    # Decided, one signature missing: the candidate reads no result and has no e-mail of it.
    log_in(page, candidate)
    page.goto(dossier.get_absolute_url())
    expect(page.locator("#resultat")).to_contain_text("Le jury a délibéré")
    expect(page.locator("#resultat")).not_to_contain_text("Validation totale")
    assert len(to(candidate)) == 1

    # The last signature makes the procès-verbal final: then the result, its e-mail and letter.
    log_in(page, professional)
    page.goto(reverse("jury:minutes", args=[session.pk]))
    page.get_by_role("button", name="Signer le procès-verbal").click()
    expect(page.locator("#minutes-status")).to_have_text("définitif")
    assert len(to(candidate)) == 2 and "a rendu sa décision et son procès-verbal est signé" in to(candidate)[-1].body
    log_in(page, candidate)
    page.goto(dossier.get_absolute_url())
    result = page.locator("#resultat")
    expect(result).to_contain_text("Validation totale des blocs de compétences visés")
    with page.expect_download() as download:
        result.get_by_role("link", name="Lettre de décision").click()
    assert download.value.suggested_filename.startswith("lettre-de-decision-")
    expect(page.locator("#convocation")).to_have_count(0)  # the result takes over
