"""The jury's access ends JURY_ACCESS_DAYS_AFTER_MINUTES days after the procès-verbal became
final: the member still finds the session (date, certification, closed) but nothing of its
candidates. Time is moved by dating the procès-verbal's finalisation in the past."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import GeneratedDocument
from juries import permissions
from juries.enums import JuryDocumentKind
from juries.models import JuryDocument, Minutes
from tests.factories import NARRATIVE
from tests.juries.helpers import sign_all
from tests.juries.test_views import candidate_urls, close_session, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(jury):
    """The session decided and signed by every member: its procès-verbal is final."""
    sign_all(jury.session, close_session(jury))
    return jury


def final_since(jury, days: float) -> None:
    Minutes.objects.filter(session=jury.session).update(finalised_at=timezone.now() - dt.timedelta(days=days))
    jury.session.refresh_from_db()


def jury_urls(jury) -> dict[str, str]:
    """Everything a member reads about the session's candidates."""
    proof = jury.dossier.proofs.first()
    pdf = GeneratedDocument.objects.get(dossier=jury.dossier, kind="validation")
    minutes_pdf = JuryDocument.objects.get(session=jury.session, kind=JuryDocumentKind.MINUTES)
    return {
        **candidate_urls(jury),
        "proof": reverse("dossiers:proof_download", args=[jury.dossier.pk, proof.pk]),
        "dossier pdf": reverse("documents:download", args=[pdf.pk]),
        "dossier pdf status": reverse("documents:status", args=[pdf.pk]),
        "minutes": reverse("jury:minutes", args=[jury.session.pk]),
        "minutes pdf": reverse("jury:document", args=[minutes_pdf.pk]),
    }


def test_members_still_read_a_closed_session_until_the_end_of_the_access_period(closed, login, settings):
    settings.JURY_ACCESS_DAYS_AFTER_MINUTES = 30
    final_since(closed, 29)
    client = login(closed.pro)
    urls = jury_urls(closed)
    for name in ("candidate", "block", "grid", "proof", "dossier pdf status", "minutes", "minutes pdf"):
        assert client.get(urls[name]).status_code == 200, name
    body = page(client.get(reverse("jury:session", args=[closed.session.pk])))
    assert closed.dossier.candidate.get_full_name() in body
    ends = timezone.localtime(closed.session.minutes.finalised_at + dt.timedelta(days=30))
    assert "jusqu'au" in body and str(ends.year) in body


def test_after_the_access_period_a_member_sees_the_session_and_nothing_of_its_candidates(closed, login, settings):
    settings.JURY_ACCESS_DAYS_AFTER_MINUTES = 30
    final_since(closed, 31)
    candidate = closed.dossier.candidate
    for member in (closed.president, closed.pro):
        client = login(member)
        for name, url in jury_urls(closed).items():
            response = client.get(url)
            assert response.status_code == 404, name
            assert candidate.last_name not in page(response), name
        for name in ("declare", "deliberate"):
            assert client.post(candidate_urls(closed)[name]).status_code == 404, name
        assert client.post(reverse("jury:sign", args=[closed.session.pk])).status_code == 404

        listing = page(client.get(reverse("jury:sessions")))
        assert reverse("jury:session", args=[closed.session.pk]) in listing
        assert closed.session.certification.title in listing and "accès aux dossiers terminé" in listing
        body = page(client.get(reverse("jury:session", args=[closed.session.pk])))
        assert closed.session.certification.title in body and "clôturée" in body
        assert "Votre accès aux dossiers de cette session a pris fin le" in body
        for secret in (candidate.get_full_name(), candidate.email, NARRATIVE[:40], "Bilan du projet"):
            assert secret not in body, secret
        assert reverse("jury:candidate", args=[closed.convocation.pk]) not in body
        assert reverse("jury:minutes", args=[closed.session.pk]) not in body


def test_the_certifier_and_the_candidate_keep_their_access_after_the_jurys_has_ended(closed, login, settings):
    settings.JURY_ACCESS_DAYS_AFTER_MINUTES = 30
    final_since(closed, 400)
    urls = jury_urls(closed)
    certifier = login(closed.certifier)
    assert certifier.get(urls["minutes pdf"]).status_code == 200
    proof = closed.dossier.proofs.first()
    assert certifier.get(reverse("backoffice:dossier_proof", args=[closed.dossier.pk, proof.pk])).status_code == 200
    letter = JuryDocument.objects.get(kind=JuryDocumentKind.DECISION_LETTER, convocation__dossier=closed.dossier)
    candidate = login(closed.dossier.candidate)
    assert candidate.get(reverse("jury:document", args=[letter.pk])).status_code == 200
    assert candidate.get(urls["proof"]).status_code == 200


def test_the_access_period_is_a_setting(closed, login, settings):
    url = candidate_urls(closed)["candidate"]
    client = login(closed.pro)
    final_since(closed, 31)
    settings.JURY_ACCESS_DAYS_AFTER_MINUTES = 60
    assert client.get(url).status_code == 200
    settings.JURY_ACCESS_DAYS_AFTER_MINUTES = 0  # access ends as soon as the procès-verbal is final
    final_since(closed, 0.001)
    assert client.get(url).status_code == 404


def test_access_does_not_end_while_the_minutes_are_not_final(jury, login, settings):
    settings.JURY_ACCESS_DAYS_AFTER_MINUTES = 0
    close_session(jury)  # decided, not signed
    assert permissions.members_access_ends_at(jury.session) is None
    assert permissions.members_access_open(jury.session)
    assert login(jury.pro).get(candidate_urls(jury)["candidate"]).status_code == 200
