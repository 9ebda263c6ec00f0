import pytest
from django.contrib import admin
from django.urls import reverse

from certifications.models import Block, Certification
from tests.factories import UserFactory, make_certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(admin=True))
    return client


def test_every_model_of_the_project_is_registered_in_the_admin():
    from django.apps import apps

    ours = {"accounts", "certifications", "dossiers", "juries", "audit", "documents", "notifications"}
    missing = [m.__name__ for m in apps.get_models() if m._meta.app_label in ours and m not in admin.site._registry]
    assert missing == []


def test_every_admin_list_and_search_renders(admin_client, reference_certifications):
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url
        if model_admin.search_fields:
            assert admin_client.get(url, {"q": "RNCP"}).status_code == 200, url


def test_a_certification_reads_on_one_admin_page_with_its_blocs_and_competences(admin_client, reference_certifications):
    cert = Certification.objects.get(code="RNCP35203")
    response = admin_client.get(reverse("admin:certifications_certification_change", args=[cert.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "RNCP35203BC02" in page
    assert cert.blocks.first().competencies.first().text[:40] in page


def test_a_published_certification_cannot_be_changed_through_the_admin(admin_client):
    cert = make_certification(published=True, title="Titre publié")
    url = reverse("admin:certifications_certification_change", args=[cert.pk])

    admin_client.post(url, {"title": "Titre modifié", "code": cert.code, "slug": cert.slug})
    block = Block.objects.filter(certification=cert).first()
    admin_client.post(reverse("admin:certifications_block_change", args=[block.pk]), {"title": "X", "order": 1})

    cert.refresh_from_db()
    block.refresh_from_db()
    assert cert.title == "Titre publié"
    assert block.title != "X"


def test_the_new_version_admin_action_creates_a_draft(admin_client):
    cert = make_certification(published=True)
    admin_client.post(
        reverse("admin:certifications_certification_changelist"),
        {"action": "new_version_action", "_selected_action": [cert.pk]},
    )
    assert Certification.objects.filter(lineage=cert.lineage, status="draft", version=2).exists()


def test_the_publish_admin_action_publishes_a_complete_draft(admin_client):
    cert = make_certification()
    admin_client.post(
        reverse("admin:certifications_certification_changelist"),
        {"action": "publish_action", "_selected_action": [cert.pk]},
    )
    cert.refresh_from_db()
    assert cert.status == "published"
