import pytest
from django.core.files.base import ContentFile
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from documents import services
from documents.enums import DocumentKind
from documents.enums import DocumentStatus as D
from documents.models import GeneratedDocument
from documents.tasks import render_document
from dossiers.enums import DossierStatus as S
from tests.factories import CertifierFactory, UserFactory, dossier_in_state, fill_validation

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% dossier de validation\n"


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr(render_document, "apply_async", lambda *args, **kwargs: None)


@pytest.fixture
def document():
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED)
    doc = GeneratedDocument.objects.get(dossier=dossier, kind=DocumentKind.VALIDATION)
    doc.file.save("x.pdf", ContentFile(PDF), save=False)
    doc.status, doc.pages, doc.size, doc.finished_at = D.DONE, 12, len(PDF), timezone.now()
    doc.save()
    return doc


def certifier_of(certification):
    user = UserFactory()
    certification.certifiers.first().staff.add(user)
    return user


def certifier_elsewhere():
    user = UserFactory()
    CertifierFactory().staff.add(user)
    return user


def jury_member(doc, link=None):
    """A member of a session the dossier is convoked to, who declared ``link`` (none: no link)."""
    from dossiers import services as dossier_services
    from juries import services as jury_services
    from juries.enums import JuryRole, LinkKind
    from tests.factories import make_session, slot

    dossier = doc.dossier
    admin = UserFactory(admin=True)
    if dossier.status == S.VALIDATION_SUBMITTED:
        dossier_services.review_validation(dossier, admin, complete=True)
    session = make_session(dossier.certification)
    user = UserFactory()
    jury_services.add_member(session, admin, email=user.email, role=JuryRole.PROFESSIONAL)
    convocation = jury_services.convoke(session, dossier, admin, **slot(session, "09:00", "10:00"))
    member = session.members.get(user=user)
    jury_services.declare_link(member, convocation, link or LinkKind.NONE, "" if link is None else "Voisin")
    return user


def conflicted_jury_member(doc):
    from juries.enums import LinkKind

    return jury_member(doc, LinkKind.PERSONAL)


ROLES = {
    "owner": (lambda doc: doc.dossier.candidate, 200),
    "another candidate": (lambda doc: dossier_in_state(S.DRAFT).candidate, 404),
    "certifier of the certification": (lambda doc: certifier_of(doc.dossier.certification), 200),
    "certifier of another organisation": (lambda doc: certifier_elsewhere(), 404),
    "jury member who declared no link": (jury_member, 200),
    "jury member who declared a link": (conflicted_jury_member, 404),
    "user with no role": (lambda doc: UserFactory(), 404),
    "admin": (lambda doc: UserFactory(admin=True), 200),
}


@pytest.mark.parametrize("role", ROLES)
def test_the_download_is_served_only_to_who_may_read_the_dossier(client, document, role):
    make_user, expected = ROLES[role]
    client.force_login(make_user(document))

    response = client.get(reverse("documents:download", args=[document.pk]))

    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert f"dossier-de-validation-{document.dossier_id}-1.pdf" in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("role", ROLES)
def test_the_status_is_shown_only_to_who_may_read_the_dossier(client, document, role):
    make_user, expected = ROLES[role]
    client.force_login(make_user(document))

    response = client.get(reverse("documents:status", args=[document.pk]))

    assert response.status_code == expected


def test_anonymous_visitors_are_sent_to_the_login_page(client, document):
    for name in ("download", "status"):
        response = client.get(reverse(f"documents:{name}", args=[document.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_certifier_never_reads_a_candidates_draft_preview(client):
    dossier = dossier_in_state(S.ADMISSIBLE)
    preview = services.request_preview(dossier, dossier.candidate)
    GeneratedDocument.objects.filter(pk=preview.pk).update(status=D.DONE)
    client.force_login(certifier_of(dossier.certification))

    assert client.get(reverse("documents:download", args=[preview.pk])).status_code == 404


def test_a_download_asked_too_early_says_the_pdf_is_being_generated(client):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED)
    doc = GeneratedDocument.objects.get(dossier=dossier, kind=DocumentKind.VALIDATION)
    client.force_login(dossier.candidate)

    response = client.get(reverse("documents:download", args=[doc.pk]))

    assert response.status_code == 200
    assert "en attente de génération" in response.content.decode()


def fragment(client, doc):
    client.force_login(doc.dossier.candidate)
    response = client.get(reverse("documents:status", args=[doc.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def test_a_queued_or_running_document_polls_its_status(client, document):
    for status, label in ((D.QUEUED, "en attente de génération"), (D.RUNNING, "en cours de génération")):
        GeneratedDocument.objects.filter(pk=document.pk).update(status=status)
        html = fragment(client, document)
        assert label in html
        assert f'data-hx-get="{reverse("documents:status", args=[document.pk])}"' in html
        assert 'data-hx-trigger="every 2s"' in html
        assert "<html" not in html  # a fragment, not a page


def test_a_done_document_stops_polling_and_offers_the_download(client, document):
    html = fragment(client, document)

    assert "hx-trigger" not in html
    assert "Télécharger le PDF" in html
    assert reverse("documents:download", args=[document.pk]) in html
    assert "12 pages" in html


def test_a_failed_document_shows_the_reason_and_a_retry_button(client, document):
    GeneratedDocument.objects.filter(pk=document.pk).update(status=D.FAILED, error="Délai de génération dépassé")

    html = fragment(client, document)

    assert "hx-trigger" not in html
    assert "La génération du PDF a échoué" in html
    assert "Délai de génération dépassé" in html
    assert reverse("documents:retry", args=[document.pk]) in html


def test_the_retry_button_queues_the_document_again_and_polls(client, document):
    GeneratedDocument.objects.filter(pk=document.pk).update(status=D.FAILED, attempts=3, error="x")
    client.force_login(document.dossier.candidate)

    response = client.post(reverse("documents:retry", args=[document.pk]), headers={"HX-Request": "true"})

    document.refresh_from_db()
    assert document.status == D.QUEUED
    assert 'data-hx-trigger="every 2s"' in response.content.decode()


def test_someone_who_cannot_read_the_document_cannot_retry_it(client, document):
    GeneratedDocument.objects.filter(pk=document.pk).update(status=D.FAILED)
    client.force_login(certifier_elsewhere())

    assert client.post(reverse("documents:retry", args=[document.pk])).status_code == 404
    document.refresh_from_db()
    assert document.status == D.FAILED


def test_the_candidate_asks_for_a_pdf_preview_of_the_draft(client):
    dossier = dossier_in_state(S.ADMISSIBLE)
    fill_validation(dossier)
    client.force_login(dossier.candidate)

    response = client.post(reverse("documents:preview", args=[dossier.pk]), headers={"HX-Request": "true"})

    preview = GeneratedDocument.objects.get(dossier=dossier, kind=DocumentKind.PREVIEW)
    assert preview.snapshot is None
    assert f'data-hx-get="{reverse("documents:status", args=[preview.pk])}"' in response.content.decode()


def test_only_the_owner_may_ask_for_a_preview_of_a_draft(client):
    dossier = dossier_in_state(S.ADMISSIBLE)
    for user in (dossier_in_state(S.DRAFT).candidate, certifier_of(dossier.certification)):
        client.force_login(user)
        assert client.post(reverse("documents:preview", args=[dossier.pk])).status_code == 404
    assert not GeneratedDocument.objects.filter(kind=DocumentKind.PREVIEW).exists()


def test_the_status_page_takes_a_fixed_number_of_queries(client, document, django_assert_max_num_queries):
    client.force_login(document.dossier.candidate)
    with django_assert_max_num_queries(8):  # session, user, nav, session refresh, document, permission
        assert client.get(reverse("documents:status", args=[document.pk])).status_code == 200


def test_the_template_tag_shows_the_latest_document_of_a_dossier_to_its_reader(document):
    request = RequestFactory().get("/")
    template = Template('{% load documents %}{% document_status dossier "validation" %}')

    request.user = document.dossier.candidate
    assert "Télécharger le PDF" in template.render(Context({"dossier": document.dossier, "request": request}))
    request.user = certifier_elsewhere()
    assert "Télécharger le PDF" not in template.render(Context({"dossier": document.dossier, "request": request}))


def test_the_template_tag_offers_the_preview_button_to_the_owner_only(document):
    request = RequestFactory().get("/")
    template = Template('{% load documents %}{% document_status dossier "preview" %}')

    request.user = document.dossier.candidate
    assert "Aperçu PDF" in template.render(Context({"dossier": document.dossier, "request": request}))
    request.user = UserFactory(admin=True)
    assert "Aperçu PDF" not in template.render(Context({"dossier": document.dossier, "request": request}))


def test_the_candidates_dossier_page_shows_its_pdfs_and_the_preview_button(client, document):
    client.force_login(document.dossier.candidate)

    page = client.get(reverse("dossiers:detail", args=[document.dossier_id])).content.decode()

    assert "Documents PDF" in page
    assert reverse("documents:download", args=[document.pk]) in page
    assert "Demande de recevabilité" in page


def test_a_candidate_writing_the_dossier_de_validation_can_preview_it(client):
    dossier = dossier_in_state(S.ADMISSIBLE)
    client.force_login(dossier.candidate)

    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()

    assert "Aperçu PDF" in page
    assert reverse("documents:preview", args=[dossier.pk]) in page


def test_the_certifiers_review_page_shows_the_dossiers_pdf(client, document):
    client.force_login(certifier_of(document.dossier.certification))

    page = client.get(reverse("backoffice:dossier", args=[document.dossier_id])).content.decode()

    assert reverse("documents:download", args=[document.pk]) in page


def test_past_the_hours_previews_the_candidate_is_told_why_and_nothing_is_queued(client, settings):
    settings.PREVIEWS_PER_HOUR = 1
    dossier = dossier_in_state(S.ADMISSIBLE)
    client.force_login(dossier.candidate)
    url = reverse("documents:preview", args=[dossier.pk])
    client.post(url, headers={"HX-Request": "true"})
    GeneratedDocument.objects.filter(dossier=dossier, kind=DocumentKind.PREVIEW).update(
        status=D.DONE, pages=3, size=1000, finished_at=timezone.now()
    )

    fragment = client.post(url, headers={"HX-Request": "true"}).content.decode().replace("&#x27;", "'")
    page = client.post(url, follow=True).content.decode().replace("&#x27;", "'")

    for html in (fragment, page):
        assert "1 aperçu PDF au cours de la dernière heure : c'est le maximum" in html
    assert "Télécharger l'aperçu PDF" in fragment  # the last preview stays within reach
    assert GeneratedDocument.objects.filter(dossier=dossier, kind=DocumentKind.PREVIEW).count() == 1


def test_once_the_retries_are_spent_the_retry_button_gives_way_to_an_explanation(client, document, settings):
    settings.DOCUMENTS_MAX_RETRIES = 1
    GeneratedDocument.objects.filter(pk=document.pk).update(status=D.FAILED, error="x", retries=1)
    client.force_login(document.dossier.candidate)

    html = fragment(client, document)
    refused = client.post(reverse("documents:retry", args=[document.pk]), headers={"HX-Request": "true"})

    assert reverse("documents:retry", args=[document.pk]) not in html
    assert "déjà été relancé 1 fois sans succès" in html.replace("&#x27;", "'")
    assert "déjà été relancé 1 fois sans succès" in refused.content.decode().replace("&#x27;", "'")
    document.refresh_from_db()
    assert document.status == D.FAILED
    dossier_page = client.get(reverse("dossiers:detail", args=[document.dossier.pk])).content.decode()
    assert reverse("documents:retry", args=[document.pk]) not in dossier_page
