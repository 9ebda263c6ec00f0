"""Certifier pages of the RNCP import, for every role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certifications.models import Certification, Certifier, RncpUpload
from certifications.rncp import uploads
from tests.certifications import rncp_samples as samples
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def eager_tasks():
    """The worker's job runs in this process as soon as it is published (on commit)."""
    from vae_portal.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def _flux_file(content: str | None = None, name: str = "export_fiches_RNCP_V4_1.xml") -> SimpleUploadedFile:
    content = content or samples.flux(samples.rncp35203(), samples.rncp41296())
    return SimpleUploadedFile(name, content.encode(), content_type="text/xml")


def _uploaded(user, content: str | None = None) -> RncpUpload:
    """A flux uploaded by ``user`` and read, as the worker does."""
    upload = uploads.create_upload(_flux_file(content), user)
    uploads.run(upload.pk)
    upload.refresh_from_db()
    assert upload.status == "ready", upload.error
    return upload


def _certifier_of(siret: str):
    user = UserFactory()
    certifier, _ = Certifier.objects.get_or_create(siret=siret, defaults={"legal_name": f"Organisme {siret}"})
    certifier.staff.add(user)
    return user


@pytest.fixture
def upload(db):
    """A flux uploaded by a colleague at IRCOM: it belongs to IRCOM."""
    return _uploaded(_certifier_of(samples.IRCOM["siret"]))


@pytest.fixture
def admin_upload(db):
    """A flux uploaded by an administrator: every fiche is kept."""
    return _uploaded(UserFactory(admin=True))


@pytest.fixture
def ircom_certifier(db):
    return _certifier_of(samples.IRCOM["siret"])


@pytest.fixture
def other_certifier(db):
    return _certifier_of("99988877700011")


def _pages(upload):
    return [
        reverse("rncp:upload"),
        reverse("rncp:file", args=[upload.pk]),
        reverse("rncp:preview", args=[upload.pk, "RNCP41296"]),
    ]


def test_every_rncp_page_sends_an_anonymous_visitor_to_the_login_page(client, upload):
    for url in [*_pages(upload), reverse("rncp:confirm", args=[upload.pk, "RNCP41296"])]:
        response = client.post(url) if url.endswith("importer/") else client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_a_candidate_finds_no_rncp_page(client, upload):
    client.force_login(UserFactory())
    for url in _pages(upload):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("rncp:confirm", args=[upload.pk, "RNCP41296"])).status_code == 404
    assert client.post(reverse("rncp:upload"), {"file": _flux_file()}).status_code == 404
    assert RncpUpload.objects.count() == 1
    assert not Certification.objects.exists()


def test_a_certifier_uploads_a_flux_and_sees_only_the_fiches_of_their_organisation(
    client, ircom_certifier, media_root, django_capture_on_commit_callbacks
):
    client.force_login(ircom_certifier)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rncp:upload"), {"file": _flux_file()})

    saved = RncpUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rncp:file", args=[saved.pk])
    assert (saved.fiche_count, saved.flux_version, saved.uploaded_by) == (2, "4.1", ircom_certifier)
    assert saved.file.path.startswith(str(media_root))
    page = client.get(response["Location"]).content.decode()
    assert "RNCP41296" in page
    assert "RNCP35203" not in page


def test_a_broken_file_is_refused_with_the_line_and_nothing_is_kept(
    client, ircom_certifier, media_root, django_capture_on_commit_callbacks
):
    # The worker reads the file: the upload is a row that ends "échec", with the reason.
    client.force_login(ircom_certifier)
    xml = samples.flux(samples.rncp41296())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rncp:upload"), {"file": _flux_file(xml[: len(xml) // 2])})

    page = client.get(response["Location"]).content.decode()
    saved = RncpUpload.objects.get()
    assert (saved.status, saved.file.name) == ("failed", "")
    assert saved.error.startswith("Fichier refusé : Fichier XML invalide")
    assert "échec" in page
    assert "Fichier refusé" in page
    assert "ligne" in page
    assert not saved.fiches.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_only_xml_and_zip_files_are_accepted(client, ircom_certifier):
    client.force_login(ircom_certifier)
    response = client.post(reverse("rncp:upload"), {"file": _flux_file(name="fiches.csv")})
    assert "Seuls les fichiers .xml et .zip sont acceptés." in response.content.decode()


def test_a_zipped_flux_can_be_uploaded(client, ircom_certifier, tmp_path, django_capture_on_commit_callbacks):
    client.force_login(ircom_certifier)
    path = samples.write_zip(tmp_path, samples.flux(samples.rncp41296()))
    with path.open("rb") as fh, django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rncp:upload"), {"file": fh})
    assert RncpUpload.objects.get().index[0]["code"] == "RNCP41296"


def test_the_upload_page_lists_the_files_already_uploaded(client, ircom_certifier, upload):
    client.force_login(ircom_certifier)
    response = client.get(reverse("rncp:upload"))
    assert upload.original_name in response.content.decode()
    assert reverse("rncp:file", args=[upload.pk]) in response.content.decode()


def test_a_certifier_of_another_organisation_is_refused_every_fiche_of_the_file(client, other_certifier, upload):
    client.force_login(other_certifier)

    listing = client.get(reverse("rncp:file", args=[upload.pk]))
    preview = client.get(reverse("rncp:preview", args=[upload.pk, "RNCP41296"]))
    confirm = client.post(reverse("rncp:confirm", args=[upload.pk, "RNCP41296"]))

    # The file itself is IRCOM's: another organisation does not even see it (it used to see the
    # list, empty of its fiches).
    assert (listing.status_code, preview.status_code, confirm.status_code) == (404, 404, 404)
    assert not Certification.objects.exists()


def test_a_certifier_sees_only_the_fiches_of_their_organisation_in_a_file_of_several(client, admin_upload):
    user = _certifier_of(samples.IRCOM["siret"])
    colleagues_upload = _uploaded(user)
    client.force_login(user)

    listing = client.get(reverse("rncp:file", args=[colleagues_upload.pk])).content.decode()

    assert "RNCP41296" in listing
    assert "RNCP35203" not in listing
    assert client.get(reverse("rncp:preview", args=[colleagues_upload.pk, "RNCP35203"])).status_code == 404
    assert client.get(reverse("rncp:file", args=[admin_upload.pk])).status_code == 404


def test_the_preview_shows_blocs_and_proposed_competences_beside_the_current_version(
    client, ircom_certifier, upload, reference_certifications
):
    client.force_login(ircom_certifier)

    response = client.get(reverse("rncp:preview", args=[upload.pk, "RNCP41296"]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Version actuelle (v1, publiée)" in page
    assert "RNCP41296BC03" in page
    assert "Communiquer à l’écrit et oralement en anglais professionnel" in page
    assert page.count("identique") >= 4
    assert "Confirmer : créer le brouillon" in page
    assert not Certification.objects.filter(code="RNCP41296", version=2).exists()


def test_the_preview_of_a_new_certification_says_version_1_will_be_created(client, ircom_certifier, upload):
    client.force_login(ircom_certifier)
    page = client.get(reverse("rncp:preview", args=[upload.pk, "RNCP41296"])).content.decode()
    assert "l’import crée sa version 1" in page
    assert "nouveau" in page


def test_the_preview_needs_a_fixed_number_of_queries(
    client, admin_upload, reference_certifications, django_assert_max_num_queries
):
    client.force_login(UserFactory(admin=True))
    counts = []
    for code in ["RNCP35203", "RNCP41296", "RNCP35203"]:
        with django_assert_max_num_queries(14) as ctx:
            assert client.get(reverse("rncp:preview", args=[admin_upload.pk, code])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert len(set(counts[1:])) == 1


def test_confirming_creates_the_draft_and_lands_on_its_editor_page(
    client, ircom_certifier, upload, reference_certifications
):
    client.force_login(ircom_certifier)

    response = client.post(reverse("rncp:confirm", args=[upload.pk, "RNCP41296"]), follow=False)

    draft = Certification.objects.get(code="RNCP41296", version=2)
    assert draft.status == "draft"
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:referential", args=[draft.pk])
    assert client.get(response["Location"]).status_code == 200
    assert draft.events.get().actor == ircom_certifier
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "Brouillon RNCP41296 v2 créé. Vérifiez le découpage des compétences et ajoutez les modalités "
        "d'évaluation et les grilles critériées avant de publier."
    ]


def test_confirming_an_unchanged_fiche_changes_nothing_and_says_so(client, ircom_certifier, upload):
    client.force_login(ircom_certifier)
    url = reverse("rncp:confirm", args=[upload.pk, "RNCP41296"])
    client.post(url)

    response = client.post(url, follow=True)

    assert Certification.objects.count() == 1
    assert "Rien à importer" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("rncp:preview", args=[upload.pk, "RNCP41296"])


def test_confirming_needs_a_post(client, ircom_certifier, upload):
    client.force_login(ircom_certifier)
    assert client.get(reverse("rncp:confirm", args=[upload.pk, "RNCP41296"])).status_code == 405


def test_a_fiche_missing_from_the_file_is_not_found(client, ircom_certifier, upload):
    client.force_login(ircom_certifier)
    assert client.get(reverse("rncp:preview", args=[upload.pk, "RNCP99999"])).status_code == 404
    assert client.get(reverse("rncp:file", args=[upload.pk + 1])).status_code == 404


def test_an_admin_sees_every_fiche_searches_them_and_imports_any(client, admin_upload):
    client.force_login(UserFactory(admin=True))
    upload = admin_upload

    listing = client.get(reverse("rncp:file", args=[upload.pk])).content.decode()
    found = client.get(reverse("rncp:file", args=[upload.pk]), {"q": "alternatifs"}).content.decode()
    response = client.post(reverse("rncp:confirm", args=[upload.pk, "RNCP35203"]))

    assert "RNCP35203" in listing and "RNCP41296" in listing
    assert "RNCP35203" in found and "RNCP41296" not in found
    assert response.status_code == 302
    assert Certification.objects.get().code == "RNCP35203"


def test_uploaded_files_are_not_served_at_any_public_url(client, upload):
    name = upload.file.name
    assert client.get(f"/media/{name}").status_code in (302, 404)
    assert client.get(f"/{name}").status_code in (302, 404)


# --- a certifier cannot take over another certifier's certification -----------------------------


@pytest.fixture
def aptim_certifier(db):
    return _certifier_of(samples.APTIM["siret"])


@pytest.fixture
def takeover_upload(aptim_certifier):
    """A flux, uploaded by APTIM, whose RNCP41296 (IRCOM's certification) bears APTIM's SIRET."""
    return _uploaded(aptim_certifier, samples.flux(samples.rncp41296(certifiers=[samples.APTIM])))


def test_a_certifier_cannot_take_over_another_certifiers_certification_through_the_rncp_import(
    client, aptim_certifier, takeover_upload, reference_certifications
):
    client.force_login(aptim_certifier)
    preview_url = reverse("rncp:preview", args=[takeover_upload.pk, "RNCP41296"])

    preview = client.get(preview_url)
    confirm = client.post(reverse("rncp:confirm", args=[takeover_upload.pk, "RNCP41296"]), follow=True)

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Import impossible : la certification appartient à un autre certificateur" in page
    assert "Confirmer : créer le brouillon" not in page
    assert confirm.redirect_chain[-1][0] == preview_url
    assert "Fiche non importée : la certification appartient à un autre certificateur" in confirm.content.decode()
    assert list(Certification.objects.filter(code="RNCP41296").values_list("version", flat=True)) == [1]


def test_the_refused_preview_shows_none_of_the_other_certifiers_versions(
    client, aptim_certifier, takeover_upload, reference_certifications
):
    from certifications import services

    draft = services.new_version(Certification.objects.get(code="RNCP41296"))
    services.update_certification(draft, title="Intitulé de travail d'IRCOM")
    client.force_login(aptim_certifier)

    page = client.get(reverse("rncp:preview", args=[takeover_upload.pk, "RNCP41296"])).content.decode()

    assert "Intitulé de travail d&#x27;IRCOM" not in page
    assert "Version actuelle (v" not in page
    assert "brouillon" not in page.split("Import impossible")[1].split("</div>")[0]


def test_the_file_page_marks_a_fiche_of_another_certifiers_certification(
    client, aptim_certifier, takeover_upload, reference_certifications
):
    client.force_login(aptim_certifier)
    page = client.get(reverse("rncp:file", args=[takeover_upload.pk])).content.decode()
    assert "autre certificateur" in page
    assert "v1, publiée" not in page


def test_an_admin_may_still_hand_a_certification_to_another_certifier(
    client, takeover_upload, reference_certifications
):
    client.force_login(UserFactory(admin=True))

    response = client.post(reverse("rncp:confirm", args=[takeover_upload.pk, "RNCP41296"]))

    draft = Certification.objects.get(code="RNCP41296", version=2)
    assert response["Location"] == reverse("backoffice:referential", args=[draft.pk])
    assert [c.siret for c in draft.certifiers.all()] == [samples.APTIM["siret"]]
