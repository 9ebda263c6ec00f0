import datetime as dt
import logging
import os

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from documents import services
from documents.enums import DocumentKind
from documents.enums import DocumentStatus as D
from documents.models import GeneratedDocument
from documents.tasks import render_document, sweep_documents
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from dossiers.models import Snapshot
from tests.factories import dossier_in_state, fill_validation

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch):
    """Render jobs sent to the broker, by document id."""
    sent = []
    monkeypatch.setattr(render_document, "apply_async", lambda args, **kw: sent.append(args[0]))
    return sent


@pytest.fixture
def quick_render(monkeypatch):
    """Rendering stubbed out: these tests are about the job's life, not the PDF."""
    from documents import pdf

    calls = []

    def fake(document):
        calls.append(document.pk)
        return pdf.Rendered(pdf=b"%PDF-1.7 fake", html="", pages=3, pdfa=True, content_sha256="c" * 64)

    monkeypatch.setattr(pdf, "render_document", fake)
    return calls


def submitted():
    dossier = dossier_in_state(S.ADMISSIBLE)
    fill_validation(dossier)
    return dossier, dossier_services.submit_validation(dossier, dossier.candidate)


def test_submitting_the_dossier_de_validation_queues_its_pdf_in_the_same_transaction(
    published, django_capture_on_commit_callbacks
):
    dossier = dossier_in_state(S.ADMISSIBLE)
    fill_validation(dossier)

    with django_capture_on_commit_callbacks(execute=True):
        snapshot = dossier_services.submit_validation(dossier, dossier.candidate)

    document = GeneratedDocument.objects.get(kind=DocumentKind.VALIDATION, dossier=dossier)
    assert document.snapshot == snapshot
    assert document.status == D.QUEUED
    assert published == [document.pk]


def test_requesting_recevabilite_queues_its_pdf(published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED)

    document = GeneratedDocument.objects.get(dossier=dossier)
    assert document.kind == DocumentKind.FEASIBILITY
    assert document.snapshot.kind == "feasibility"
    assert published == [document.pk]


def test_a_submission_that_fails_saves_no_document(published):
    dossier = dossier_in_state(S.ADMISSIBLE)  # nothing written: the submission is refused

    with pytest.raises(dossier_services.IncompleteDossier):
        dossier_services.submit_validation(dossier, dossier.candidate)

    assert not GeneratedDocument.objects.filter(kind=DocumentKind.VALIDATION).exists()


def test_asking_twice_for_the_same_snapshot_returns_the_same_document(published, django_capture_on_commit_callbacks):
    dossier, snapshot = submitted()
    first = GeneratedDocument.objects.get(snapshot=snapshot)

    with django_capture_on_commit_callbacks(execute=True):
        again = services.request_document(DocumentKind.VALIDATION, dossier, snapshot)

    assert again == first
    assert GeneratedDocument.objects.filter(snapshot=snapshot).count() == 1
    assert published == []  # nothing new to render


def test_the_same_snapshot_renders_once_even_if_its_job_is_delivered_twice(quick_render):
    _, snapshot = submitted()
    document = GeneratedDocument.objects.get(snapshot=snapshot)

    services.run(document.pk, task_id="first")
    services.run(document.pk, task_id="second")

    document.refresh_from_db()
    assert quick_render == [document.pk]
    assert document.status == D.DONE
    assert document.attempts == 1
    with document.file.open("rb") as pdf:
        assert pdf.read() == b"%PDF-1.7 fake"


def test_a_broker_down_at_submission_neither_fails_it_nor_loses_the_document(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(render_document, "apply_async", broker_down)
    dossier = dossier_in_state(S.ADMISSIBLE)
    fill_validation(dossier)

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        dossier_services.submit_validation(dossier, dossier.candidate)

    dossier.refresh_from_db()
    assert dossier.status == S.VALIDATION_SUBMITTED
    assert GeneratedDocument.objects.get(kind=DocumentKind.VALIDATION, dossier=dossier).status == D.QUEUED
    assert "the sweeper will retry" in caplog.text


def test_a_render_that_fails_three_times_is_marked_failed_with_its_error(monkeypatch):
    from documents import pdf

    _, snapshot = submitted()
    document = GeneratedDocument.objects.get(snapshot=snapshot)
    attempts = []

    def broken(doc):
        attempts.append(doc.attempts)
        raise ValueError("police introuvable")

    monkeypatch.setattr(pdf, "render_document", broken)

    render_document.apply(args=(document.pk,))  # eager: each retry runs at once, in this process

    document.refresh_from_db()
    assert attempts == [1, 2, 3]
    assert document.status == D.FAILED
    assert "ValueError: police introuvable" in document.error
    assert document.finished_at is not None


def test_a_render_that_fails_once_is_retried_and_then_done(monkeypatch):
    from documents import pdf

    _, snapshot = submitted()
    document = GeneratedDocument.objects.get(snapshot=snapshot)
    real = pdf.render_document
    failures = iter([True])

    def flaky(doc):
        if next(failures, False):
            raise OSError("disque plein")
        return real(doc)

    monkeypatch.setattr(pdf, "render_document", flaky)

    render_document.apply(args=(document.pk,))

    document.refresh_from_db()
    assert document.status == D.DONE
    assert document.attempts == 2
    assert document.error == ""
    with document.file.open("rb") as pdf:
        assert pdf.read().startswith(b"%PDF-")


def test_retrying_a_failed_document_starts_a_fresh_count_of_attempts(published, django_capture_on_commit_callbacks):
    _, snapshot = submitted()
    document = GeneratedDocument.objects.get(snapshot=snapshot)
    GeneratedDocument.objects.filter(pk=document.pk).update(status=D.FAILED, attempts=3, error="Délai dépassé")

    with django_capture_on_commit_callbacks(execute=True):
        services.retry_document(document, document.dossier.candidate)

    document.refresh_from_db()
    assert (document.status, document.attempts, document.error) == (D.QUEUED, 0, "")
    assert published == [document.pk]


def test_only_a_failed_document_can_be_retried():
    _, snapshot = submitted()
    document = GeneratedDocument.objects.get(snapshot=snapshot)

    with pytest.raises(services.DocumentError):
        services.retry_document(document, None)


def test_a_job_killed_mid_render_is_taken_over_when_its_message_comes_back(quick_render):
    _, snapshot = submitted()
    document = GeneratedDocument.objects.get(snapshot=snapshot)
    services.claim(document.pk, task_id="job-1")  # the worker died here

    services.run(document.pk, task_id="job-1")  # acks_late: the same message, redelivered

    document.refresh_from_db()
    assert document.status == D.DONE
    assert document.attempts == 2


def test_a_duplicate_job_leaves_a_live_render_alone(quick_render):
    _, snapshot = submitted()
    document = GeneratedDocument.objects.get(snapshot=snapshot)
    services.claim(document.pk, task_id="job-1")

    services.run(document.pk, task_id="job-2")

    document.refresh_from_db()
    assert quick_render == []
    assert (document.status, document.task_id) == (D.RUNNING, "job-1")


def test_a_document_whose_worker_died_three_times_is_failed(quick_render):
    _, snapshot = submitted()
    document = GeneratedDocument.objects.get(snapshot=snapshot)
    for _ in range(3):
        services.claim(document.pk, task_id="job-1")

    services.run(document.pk, task_id="job-1")

    document.refresh_from_db()
    assert quick_render == []
    assert document.status == D.FAILED
    assert "3 tentatives" in document.error


def test_the_sweeper_queues_again_documents_left_queued_or_running_too_long(published, settings):
    settings.DOCUMENTS_QUEUED_STALE_SECONDS = 300
    settings.DOCUMENTS_RUNNING_STALE_SECONDS = 600
    now = timezone.now()
    docs = {}
    for name in ("old_queued", "new_queued", "old_running", "new_running", "done"):
        dossier, snapshot = submitted()
        docs[name] = GeneratedDocument.objects.get(snapshot=snapshot)
    ago = lambda s: now - dt.timedelta(seconds=s)  # noqa: E731
    GeneratedDocument.objects.filter(pk=docs["old_queued"].pk).update(queued_at=ago(301))
    GeneratedDocument.objects.filter(pk=docs["new_queued"].pk).update(queued_at=ago(100))
    GeneratedDocument.objects.filter(pk=docs["old_running"].pk).update(status=D.RUNNING, started_at=ago(601))
    GeneratedDocument.objects.filter(pk=docs["new_running"].pk).update(status=D.RUNNING, started_at=ago(100))
    GeneratedDocument.objects.filter(pk=docs["done"].pk).update(status=D.DONE, queued_at=ago(9999))

    swept = sweep_documents()

    assert sorted(swept) == sorted([docs["old_queued"].pk, docs["old_running"].pk])
    assert sorted(published) == sorted(swept)
    old_running = GeneratedDocument.objects.get(pk=docs["old_running"].pk)
    assert old_running.status == D.QUEUED
    assert old_running.queued_at >= now


def test_a_job_for_a_document_that_no_longer_exists_is_ignored(quick_render):
    assert services.run(999_999, task_id="lost") is None
    assert quick_render == []


def test_a_draft_preview_is_not_asked_twice_while_it_renders(published, django_capture_on_commit_callbacks):
    dossier = dossier_in_state(S.ADMISSIBLE)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.request_preview(dossier, dossier.candidate)
        second = services.request_preview(dossier, dossier.candidate)

    assert first == second
    assert first.snapshot is None
    assert published == [first.pk]


def test_a_new_preview_is_made_once_the_previous_one_is_done(published):
    dossier = dossier_in_state(S.ADMISSIBLE)
    first = services.request_preview(dossier, dossier.candidate)
    GeneratedDocument.objects.filter(pk=first.pk).update(status=D.DONE)

    second = services.request_preview(dossier, dossier.candidate)

    assert second != first
    assert not Snapshot.objects.filter(dossier=dossier, kind="validation").exists()


def test_the_demo_asks_for_the_pdf_of_every_submitted_version_that_has_none(published):
    from documents import demo

    _, snapshot = submitted()
    GeneratedDocument.objects.filter(snapshot=snapshot).delete()

    rows = demo.seed()

    assert GeneratedDocument.objects.filter(snapshot=snapshot).count() == 1
    assert len(rows) == 1
    assert demo.seed() == []  # idempotent


def test_a_new_preview_removes_the_earlier_one_and_its_file(published, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    dossier = dossier_in_state(S.ADMISSIBLE)
    first = services.request_preview(dossier, dossier.candidate)
    first.file.save("apercu.pdf", ContentFile(b"%PDF-1.7"), save=False)
    first.status = D.DONE
    first.save()
    path = first.file.path

    with django_capture_on_commit_callbacks(execute=True):
        services.request_preview(dossier, dossier.candidate)

    assert not GeneratedDocument.objects.filter(pk=first.pk).exists()
    assert not os.path.exists(path)


def test_a_render_finishing_after_its_dossier_was_erased_is_discarded(monkeypatch):
    from documents import pdf

    _, snapshot = submitted()
    document = GeneratedDocument.objects.get(snapshot=snapshot)

    def erased_meanwhile(doc):
        GeneratedDocument.objects.filter(pk=doc.pk).delete()
        return pdf.Rendered(pdf=b"%PDF-1.7", html="", pages=1, pdfa=True, content_sha256="")

    monkeypatch.setattr(pdf, "render_document", erased_meanwhile)

    assert services.run(document.pk, task_id="late") is None
    assert not GeneratedDocument.objects.filter(pk=document.pk).exists()


# --- limits: previews per hour, manual retries, the previews' own queue ------------------------


def test_a_candidate_asks_for_at_most_previews_per_hour_new_previews(published, settings):
    settings.PREVIEWS_PER_HOUR = 3
    dossier = dossier_in_state(S.ADMISSIBLE)
    for _ in range(3):
        preview = services.request_preview(dossier, dossier.candidate)
        assert services.request_preview(dossier, dossier.candidate) == preview  # still queued: not counted
        GeneratedDocument.objects.filter(pk=preview.pk).update(status=D.DONE)

    with pytest.raises(services.DocumentError, match="3 aperçus PDF au cours de la dernière heure"):
        services.request_preview(dossier, dossier.candidate)

    other = dossier_in_state(S.ADMISSIBLE)  # another candidate has their own count
    services.request_preview(other, other.candidate)


def test_the_preview_count_starts_again_after_the_hour(published, settings):
    from django.core.cache import cache

    settings.PREVIEWS_PER_HOUR = 1
    dossier = dossier_in_state(S.ADMISSIBLE)
    GeneratedDocument.objects.filter(pk=services.request_preview(dossier, dossier.candidate).pk).update(status=D.DONE)
    with pytest.raises(services.DocumentError):
        services.request_preview(dossier, dossier.candidate)

    cache.delete(f"documents:previews:{dossier.candidate.pk}")  # what the hour's expiry does

    assert services.request_preview(dossier, dossier.candidate).status == D.QUEUED


def test_a_failed_document_is_retried_by_hand_at_most_max_retries_times(published, settings):
    from tests.factories import UserFactory

    settings.DOCUMENTS_MAX_RETRIES = 2
    _, snapshot = submitted()
    document = GeneratedDocument.objects.get(snapshot=snapshot)
    candidate = document.dossier.candidate
    for _ in range(2):
        GeneratedDocument.objects.filter(pk=document.pk).update(status=D.FAILED, attempts=3, error="Délai dépassé")
        assert services.can_retry(candidate, GeneratedDocument.objects.get(pk=document.pk))
        services.retry_document(document, candidate)
    GeneratedDocument.objects.filter(pk=document.pk).update(status=D.FAILED, attempts=3, error="Délai dépassé")
    document.refresh_from_db()

    assert not services.can_retry(candidate, document)
    with pytest.raises(services.DocumentError, match="déjà été relancé 2 fois"):
        services.retry_document(document, candidate)
    document.refresh_from_db()
    assert (document.status, document.retries) == (D.FAILED, 2)

    admin = UserFactory(admin=True)  # sees the cause in the admin, may try again
    assert services.retry_document(document, admin).status == D.QUEUED


def test_draft_previews_go_to_their_own_queue_and_submitted_dossiers_to_the_default_one(
    monkeypatch, settings, django_capture_on_commit_callbacks
):
    queues = []
    monkeypatch.setattr(render_document, "apply_async", lambda args, **kw: queues.append((args[0], kw["queue"])))
    dossier = dossier_in_state(S.ADMISSIBLE)
    fill_validation(dossier)

    with django_capture_on_commit_callbacks(execute=True):
        preview = services.request_preview(dossier, dossier.candidate)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.submit_validation(dossier, dossier.candidate)
    validation = GeneratedDocument.objects.get(dossier=dossier, kind=DocumentKind.VALIDATION)

    assert queues == [(preview.pk, "previews"), (validation.pk, "celery")]
    assert {"celery", "previews"} <= {q.name for q in settings.CELERY_TASK_QUEUES}
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "celery"


def test_the_sweeper_publishes_each_document_on_the_queue_of_its_kind(monkeypatch):
    queues = {}
    monkeypatch.setattr(render_document, "apply_async", lambda args, **kw: queues.__setitem__(args[0], kw["queue"]))
    dossier = dossier_in_state(S.ADMISSIBLE)
    preview = services.request_preview(dossier, dossier.candidate)
    _, snapshot = submitted()
    validation = GeneratedDocument.objects.get(snapshot=snapshot)

    services.sweep(queued_after=0)

    assert queues[preview.pk] == "previews" and queues[validation.pk] == "celery"
