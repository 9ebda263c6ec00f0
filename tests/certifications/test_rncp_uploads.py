"""An uploaded RNCP flux: capped in size, read by a worker within limits, seen by its organisation only."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from certifications.models import Certification, Certifier, RncpUpload, RncpUploadFiche
from certifications.rncp import uploads
from tests.certifications import rncp_samples as samples
from tests.factories import UserFactory, make_session

pytestmark = pytest.mark.django_db
NNBSP = "\u202f"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def eager_tasks():
    """The worker's job runs in this process as soon as it is published."""
    from vae_portal.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def _file(content: str | bytes | None = None, name: str = "flux.xml") -> SimpleUploadedFile:
    content = samples.flux(samples.rncp35203(), samples.rncp41296()) if content is None else content
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def _zip(xml: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export_fiches_RNCP_V4_1.xml", xml)
    return buffer.getvalue()


def _certifier_of(siret: str):
    user = UserFactory()
    certifier, _ = Certifier.objects.get_or_create(siret=siret, defaults={"legal_name": f"Organisme {siret}"})
    certifier.staff.add(user)
    return user


@pytest.fixture
def ircom_certifier(db):
    return _certifier_of(samples.IRCOM["siret"])


def _stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


# --- the upload: capped, stored, queued ------------------------------------------------------


def test_an_upload_over_the_size_limit_is_refused_in_french_and_nothing_is_stored(
    client, ircom_certifier, settings, media_root
):
    settings.RNCP_UPLOAD_MAX_BYTES = 4096
    client.force_login(ircom_certifier)

    response = client.post(reverse("rncp:upload"), {"file": _file()})

    assert response.status_code == 200
    assert "Fichier trop volumineux : 4,0\xa0Kio au plus." in response.content.decode()
    assert not RncpUpload.objects.exists()
    assert _stored_files(media_root) == []


def test_the_upload_still_needs_its_csrf_token(ircom_certifier, media_root):
    # The view is exempted from the middleware's check only to place the size limit first; the
    # token is checked right after.
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(ircom_certifier)

    response = client.post(reverse("rncp:upload"), {"file": _file()})

    assert response.status_code == 403
    assert not RncpUpload.objects.exists()
    assert _stored_files(media_root) == []


def test_the_size_limit_stops_the_file_as_it_arrives(rf, settings):
    from django.core.files.uploadhandler import MemoryFileUploadHandler

    from certifications.rncp.forms import UploadSizeLimit

    big = SimpleUploadedFile("flux.xml", b"x" * 100_000)
    request = rf.post("/certifier/rncp/", {"file": big})
    limit = UploadSizeLimit(request, 10_000)
    request.upload_handlers = [limit, MemoryFileUploadHandler(request)]

    assert "file" not in request.FILES
    assert limit.exceeded
    assert limit.received < 100_000


def test_the_upload_is_read_by_the_worker_not_in_the_request(
    client, ircom_certifier, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(ircom_certifier)

    with django_capture_on_commit_callbacks() as published:
        response = client.post(reverse("rncp:upload"), {"file": _file()})

    upload = RncpUpload.objects.get()
    assert (upload.status, upload.fiche_count, upload.index) == ("queued", 0, [])
    assert len(published) == 1  # the job, sent to the worker once the row is committed
    waiting = client.get(response["Location"]).content.decode()
    assert "Lecture du fichier en attente" in waiting
    assert 'data-hx-trigger="every 2s"' in waiting
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in waiting

    published[0]()  # the worker reads it

    upload.refresh_from_db()
    assert (upload.status, upload.fiche_count, upload.flux_version) == ("ready", 2, "4.1")
    assert "RNCP41296" in client.get(response["Location"]).content.decode()


def test_the_status_polled_by_htmx_reloads_the_page_once_the_file_is_read(client, ircom_certifier):
    upload = uploads.create_upload(_file(), ircom_certifier)
    client.force_login(ircom_certifier)
    url = reverse("rncp:preview", args=[upload.pk, "RNCP41296"])

    pending = client.get(url, headers={"HX-Request": "true"})
    uploads.run(upload.pk)
    done = client.get(url, headers={"HX-Request": "true"})

    assert 'class="rncp-reading"' in pending.content.decode()
    assert "<html" not in pending.content.decode()
    assert done["HX-Refresh"] == "true"
    assert "Confirmer : créer le brouillon" in client.get(url).content.decode()


def test_a_fiche_cannot_be_imported_before_its_file_is_read(client, ircom_certifier):
    upload = uploads.create_upload(_file(), ircom_certifier)
    client.force_login(ircom_certifier)

    response = client.post(reverse("rncp:confirm", args=[upload.pk, "RNCP41296"]))

    assert response["Location"] == reverse("rncp:preview", args=[upload.pk, "RNCP41296"])
    assert not Certification.objects.exists()


# --- the worker: limits, failures, retries ---------------------------------------------------


def _read(user, content, name="flux.xml") -> RncpUpload:
    upload = uploads.create_upload(_file(content, name), user)
    uploads.run(upload.pk)
    upload.refresh_from_db()
    return upload


def test_a_zip_inflating_past_the_limit_fails_with_the_limit_in_french_and_is_not_kept(
    ircom_certifier, settings, media_root, django_capture_on_commit_callbacks
):
    settings.RNCP_INFLATED_MAX_BYTES = 1024 * 1024
    settings.RNCP_TEXT_NODE_MAX_CHARS = 10 * 1024 * 1024  # this limit alone is under test
    xml = samples.flux(samples.rncp41296(), "\n" * (3 * 1024 * 1024), samples.fiche())
    data = _zip(xml)
    assert len(data) < 50_000

    with django_capture_on_commit_callbacks(execute=True):  # the file is deleted once committed
        upload = _read(ircom_certifier, data, "export.zip")

    assert upload.status == "failed"
    assert upload.error == (
        "Fichier refusé : Fichier trop volumineux : le XML du flux dépasse 1 Mo (une fois décompressé)."
    )
    assert (upload.file.name, upload.index, upload.fiches.count()) == ("", [], 0)
    assert _stored_files(media_root) == []


def test_a_text_node_over_the_limit_fails_the_upload_naming_the_place(ircom_certifier, settings):
    settings.RNCP_TEXT_NODE_MAX_CHARS = 2000
    long_list = "<p>" + "compétence " * 300 + "</p>"
    fiche = samples.fiche(
        "RNCP41296", certifiers=[samples.IRCOM], blocs=[samples.bloc("RNCP41296BC01", "Bloc", long_list)]
    )

    upload = _read(ircom_certifier, samples.flux(fiche))

    assert upload.status == "failed"
    assert upload.error.startswith(
        "Fichier refusé : Texte trop long dans la fiche n° 1 (RNCP41296), élément "
        f"<FICHE/BLOCS_COMPETENCES/BLOC_COMPETENCES/LISTE_COMPETENCES> : plus de 2{NNBSP}000 caractères. (ligne "
    )


def test_a_certifiers_upload_keeps_only_the_fiches_of_their_organisations(ircom_certifier):
    upload = _read(ircom_certifier, None)

    assert upload.fiche_count == 2  # read
    assert [entry["code"] for entry in upload.index] == ["RNCP41296"]  # kept
    assert list(upload.fiches.values_list("code", flat=True)) == ["RNCP41296"]


def test_an_admins_upload_keeps_every_fiche():
    upload = _read(UserFactory(admin=True), None)
    assert sorted(upload.fiches.values_list("code", flat=True)) == ["RNCP35203", "RNCP41296"]


def test_the_preview_and_the_import_read_the_stored_fiche_not_the_file(client, ircom_certifier):
    upload = _read(ircom_certifier, None)
    upload.file.storage.delete(upload.file.name)  # the file is gone: nothing may need it
    client.force_login(ircom_certifier)

    preview = client.get(reverse("rncp:preview", args=[upload.pk, "RNCP41296"]))
    confirm = client.post(reverse("rncp:confirm", args=[upload.pk, "RNCP41296"]))

    assert preview.status_code == 200
    assert "RNCP41296BC03" in preview.content.decode()
    assert confirm.status_code == 302
    assert Certification.objects.get(code="RNCP41296").blocks.count() == 4


def test_a_reading_that_breaks_for_another_reason_is_retried_then_failed(ircom_certifier, settings):
    upload = uploads.create_upload(_file(), ircom_certifier)
    upload.file.storage.delete(upload.file.name)  # the worker cannot open it

    delays = [uploads.run(upload.pk, task_id="job") for _ in range(settings.RNCP_PARSE_MAX_ATTEMPTS)]

    upload.refresh_from_db()
    assert delays == [10, 20, None]
    assert (upload.status, upload.attempts) == ("failed", 3)
    assert upload.error == "Erreur pendant la lecture : FileNotFoundError"


def test_a_job_delivered_twice_reads_the_file_once(ircom_certifier):
    upload = uploads.create_upload(_file(), ircom_certifier)

    assert uploads.run(upload.pk, task_id="a") is None
    assert uploads.run(upload.pk, task_id="b") is None

    upload.refresh_from_db()
    assert (upload.status, upload.attempts, upload.fiches.count()) == ("ready", 1, 1)


def test_the_sweeper_publishes_again_an_upload_left_queued(ircom_certifier, eager_tasks, settings):
    upload = uploads.create_upload(_file(), ircom_certifier)  # its job was never published
    later = timezone.now() + dt.timedelta(seconds=settings.RNCP_QUEUED_STALE_SECONDS + 1)

    assert uploads.sweep(now=later) == [upload.pk]

    upload.refresh_from_db()
    assert upload.status == "ready"
    assert uploads.sweep(now=later) == []


def test_the_command_reads_in_process_with_the_same_limits(tmp_path, settings):
    settings.RNCP_TEXT_NODE_MAX_CHARS = 2000
    long_list = "<p>" + "compétence " * 300 + "</p>"
    path = samples.write(tmp_path, samples.flux(samples.fiche(blocs=[samples.bloc("RNCP90001BC01", "B", long_list)])))

    with pytest.raises(CommandError, match="Texte trop long dans la fiche n° 1 \\(RNCP90001\\)"):
        call_command("import_rncp", str(path), stdout=io.StringIO())

    settings.RNCP_TEXT_NODE_MAX_CHARS = 1_000_000
    call_command("import_rncp", str(path), stdout=io.StringIO())
    assert Certification.objects.get().code == "RNCP90001"


# --- who sees an upload: its organisation's staff, and admins ---------------------------------


@pytest.fixture
def ircom_upload(db):
    return _read(_certifier_of(samples.IRCOM["siret"]), None)


def _jury_member():
    from juries import services as jury_services
    from juries.enums import JuryRole

    user = UserFactory()
    jury_services.add_member(make_session(), UserFactory(admin=True), email=user.email, role=JuryRole.PROFESSIONAL)
    return user


ROLES = {
    "anonymous": lambda: None,
    "candidate": UserFactory,
    "certifier_of_the_uploading_organisation": lambda: _certifier_of(samples.IRCOM["siret"]),
    "certifier_of_another_organisation": lambda: _certifier_of(samples.APTIM["siret"]),
    "jury_member": _jury_member,
    "admin": lambda: UserFactory(admin=True),
}
SEES_IT = {"certifier_of_the_uploading_organisation", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_an_upload_is_seen_by_its_organisation_and_admins_only(client, ircom_upload, role):
    user = ROLES[role]()
    if user is not None:
        client.force_login(user)
    pages = [
        ("get", reverse("rncp:file", args=[ircom_upload.pk])),
        ("get", reverse("rncp:preview", args=[ircom_upload.pk, "RNCP41296"])),
        ("post", reverse("rncp:confirm", args=[ircom_upload.pk, "RNCP41296"])),
    ]

    statuses = [getattr(client, method)(url).status_code for method, url in pages]

    if role == "anonymous":
        assert statuses == [302, 302, 302]
    elif role in SEES_IT:
        assert statuses == [200, 200, 302]
        assert Certification.objects.filter(code="RNCP41296").exists()
    else:
        assert statuses == [404, 404, 404]
        assert not Certification.objects.filter(code="RNCP41296").exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_upload_page_lists_only_the_files_of_ones_organisations(client, ircom_upload, role):
    aptim_upload = _read(_certifier_of(samples.APTIM["siret"]), None)
    RncpUpload.objects.filter(pk=aptim_upload.pk).update(original_name="fichier-aptim.xml")
    RncpUpload.objects.filter(pk=ircom_upload.pk).update(original_name="fichier-ircom.xml")
    user = ROLES[role]()
    if user is not None:
        client.force_login(user)

    response = client.get(reverse("rncp:upload"))

    page = response.content.decode()
    if role == "anonymous":
        assert response.status_code == 302
    elif role in {"candidate", "jury_member"}:
        assert response.status_code == 404
    elif role == "admin":
        assert "fichier-ircom.xml" in page and "fichier-aptim.xml" in page
    elif role == "certifier_of_the_uploading_organisation":
        assert "fichier-ircom.xml" in page and "fichier-aptim.xml" not in page
    else:
        assert "fichier-aptim.xml" in page and "fichier-ircom.xml" not in page


def test_an_upload_belongs_to_every_organisation_of_its_uploader(client):
    user = _certifier_of(samples.IRCOM["siret"])
    Certifier.objects.create(legal_name="Autre organisme", siret="12312312300012").staff.add(user)
    colleague = _certifier_of("12312312300012")

    upload = _read(user, None)

    client.force_login(colleague)
    assert client.get(reverse("rncp:file", args=[upload.pk])).status_code == 200
    assert RncpUploadFiche.objects.filter(upload=upload).count() == 1
