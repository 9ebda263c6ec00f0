import html
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certifications import services
from certifications.models import Block, Certification, Competency
from certifications.referential import export_document
from tests.factories import certifier_of, make_certification

pytestmark = pytest.mark.django_db


def editor(cert):
    return reverse("backoffice:referential", args=[cert.pk])


@pytest.fixture
def draft(cert, certifier):
    return services.new_version(cert, certifier)


def test_a_certifier_creates_a_draft_for_their_organisation(certifier_client, cert):
    org = cert.certifiers.get()
    response = certifier_client.post(
        reverse("backoffice:referential_create"),
        {"certifiers": [org.pk], "code": "rncp40000", "title": "Animateur de réseau", "level": "5"},
        follow=True,
    )
    created = Certification.objects.get(code="RNCP40000")
    assert response.redirect_chain[-1][0] == editor(created)
    assert created.status == "draft" and created.level == 5
    assert "Brouillon créé" in response.content.decode()


def test_a_malformed_code_is_refused_and_the_title_kept(certifier_client, cert):
    response = certifier_client.post(
        reverse("backoffice:referential_create"),
        {"certifiers": [cert.certifiers.get().pk], "code": "ABC", "title": "Animateur de réseau"},
    )
    page = response.content.decode()
    assert "code RNCP ou RS" in page
    assert 'value="Animateur de réseau"' in page


def test_the_editor_lists_each_publication_problem_with_a_link_to_fix_it(certifier_client, draft):
    block = draft.blocks.get(order=2)
    block.rubric.delete()
    block.competencies.all().delete()
    Certification.objects.filter(pk=draft.pk).update(level=None)

    page = html.unescape(certifier_client.get(editor(draft)).content.decode())

    assert "Le niveau européen n'est pas renseigné." in page
    assert 'href="#identity"' in page
    assert "n'a aucune compétence." in page
    assert f'href="#block-{block.pk}"' in page
    assert f'id="block-{block.pk}"' in page  # the anchor exists


def test_publishing_from_the_editor_refuses_then_accepts(certifier_client, draft, cert):
    Certification.objects.filter(pk=draft.pk).update(rules="")
    response = certifier_client.post(reverse("backoffice:referential_publish", args=[draft.pk]), follow=True)
    assert "Publication impossible" in response.content.decode()

    certifier_client.post(
        reverse("backoffice:referential_identity", args=[draft.pk]),
        {
            "code": draft.code,
            "title": draft.title,
            "level": 6,
            "rules": "Tous les blocs.",
            "requires_all_blocks": "on",
            "partial_validation": "on",
            "min_narrative_length": 300,
            "rule_min_members": 3,
            "rule_role_president": 1,
            "rule_external_professionals": 1,
            "codes_nsf": "332, 333",
        },
    )
    response = certifier_client.post(reverse("backoffice:referential_publish", args=[draft.pk]), follow=True)

    draft.refresh_from_db()
    cert.refresh_from_db()
    assert draft.status == "published"
    assert cert.status == "archived"
    assert draft.jury_rule == {"min_members": 3, "roles": {"president": 1}, "external_professionals": 1}
    assert draft.nsf_codes == ["332", "333"]
    assert "ne peut plus être modifiée" in response.content.decode()


def test_a_published_version_shows_no_editing_controls_and_refuses_edits(certifier_client, cert):
    page = certifier_client.get(editor(cert)).content.decode()
    assert "Nouvelle version" in page
    assert "Ajouter un bloc" not in page
    block = cert.blocks.first()

    response = certifier_client.post(
        reverse("backoffice:block_edit", args=[block.pk]), {"title": "Changé"}, follow=True
    )

    assert "ne peut plus être modifiée" in response.content.decode()
    block.refresh_from_db()
    assert block.title != "Changé"


def test_new_version_opens_the_draft_and_a_second_one_is_refused(certifier_client, cert):
    response = certifier_client.post(reverse("backoffice:new_version", args=[cert.pk]))
    draft = Certification.objects.get(lineage=cert.lineage, status="draft")
    assert response["Location"] == editor(draft)

    response = certifier_client.post(reverse("backoffice:new_version", args=[cert.pk]), follow=True)
    assert "existe déjà" in response.content.decode()


def test_blocs_and_competences_are_edited_from_the_editor(certifier_client, draft):
    client = certifier_client
    client.post(reverse("backoffice:block_add", args=[draft.pk]), {"block-title": "Bloc nouveau", "block-code": "B9"})
    new_block = draft.blocks.get(title="Bloc nouveau")
    client.post(
        reverse("backoffice:competency_add", args=[new_block.pk]),
        {f"comp{new_block.pk}-text": "Évaluer un projet", f"comp{new_block.pk}-group": "Évaluer"},
    )
    comp = new_block.competencies.get()
    client.post(
        reverse("backoffice:competency_edit", args=[comp.pk]), {"text": "Évaluer un projet social", "group": "Évaluer"}
    )
    client.post(reverse("backoffice:block_move", args=[new_block.pk]), {"direction": "up"})
    first = draft.blocks.get(order=1)
    moving = first.competencies.get(order=1)
    client.post(reverse("backoffice:competency_transfer", args=[moving.pk]), {"block": new_block.pk})
    client.post(
        reverse("backoffice:group_rename", args=[new_block.pk]), {"old": "Évaluer", "new": "Évaluer et rendre compte"}
    )

    new_block.refresh_from_db()
    assert new_block.order == 2
    assert list(new_block.competencies.values_list("text", "group")) == [
        ("Évaluer un projet social", "Évaluer et rendre compte"),
        (moving.text, ""),
    ]
    assert first.competencies.count() == 2

    page = client.get(editor(draft)).content.decode()
    assert "Évaluer et rendre compte" in page
    assert 'class="competency-group' in page


def test_an_invalid_block_form_keeps_what_was_typed(certifier_client, draft):
    response = certifier_client.post(
        reverse("backoffice:block_add", args=[draft.pk]), {"block-title": "", "block-description": "Texte long"}
    )
    assert response.status_code == 200
    assert "Texte long" in response.content.decode()
    assert not Block.objects.filter(certification=draft, description="Texte long").exists()


def test_the_grille_page_edits_criteria_and_levels_and_previews_the_jurors_view(certifier_client, draft):
    rubric = draft.blocks.get(order=1).rubric
    comp = draft.blocks.get(order=1).competencies.first()
    client = certifier_client
    client.post(
        reverse("backoffice:criterion_add", args=[rubric.pk]),
        {"criterion-text": "Qualité de l'analyse", "criterion-weight": "2.5", "criterion-competencies": [comp.pk]},
    )
    client.post(reverse("backoffice:level_add", args=[rubric.pk]), {"level-label": "Maîtrisé", "level-points": 3})
    client.post(
        reverse("backoffice:rubric", args=[rubric.pk]),
        {"title": "Grille du bloc 1", "pass_threshold_percent": 60, "pass_rule": "60 % des points."},
    )

    page = client.get(reverse("backoffice:rubric", args=[rubric.pk])).content.decode()

    assert "Aperçu : la grille telle que le jury la verra" in page
    assert "Qualité de l&#x27;analyse" in page
    assert "× 2,5" in page
    # 3 criteria weighted 1 + 1 + 1 + 2.5 = 5.5, top level 3 points → 16.5 points at most.
    assert "16,5 points au plus" in page
    assert "réussite à partir de 60 %" in page
    assert 'type="radio"' in page and "disabled" in page


def test_a_criterion_only_links_competences_of_its_bloc(certifier_client, draft):
    rubric = draft.blocks.get(order=1).rubric
    foreign = draft.blocks.get(order=2).competencies.first()
    response = certifier_client.post(
        reverse("backoffice:criterion_add", args=[rubric.pk]),
        {"criterion-text": "X", "criterion-weight": 1, "criterion-competencies": [foreign.pk]},
    )
    assert response.status_code == 200
    assert not rubric.criteria.filter(text="X").exists()


def test_the_export_is_the_referential_json(certifier_client, cert):
    response = certifier_client.get(reverse("backoffice:referential_export", args=[cert.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="{cert.slug}-v1.json"'
    document = json.loads(response.content)
    assert document == json.loads(json.dumps(export_document([cert])))


def _upload(document, name="ref.json"):
    raw = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile(name, raw, content_type="application/json")


def test_an_export_imports_back_as_a_new_draft_version(certifier_client, cert):
    document = export_document([cert])
    response = certifier_client.post(reverse("backoffice:referential_import"), {"file": _upload(document)})
    draft = Certification.objects.get(lineage=cert.lineage, status="draft")
    assert response["Location"] == editor(draft)
    assert draft.version == 2
    assert draft.blocks.count() == cert.blocks.count()


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"{pas du json", "pas un JSON valide (ligne 1"),
        ("é".encode("latin-1"), "pas un texte UTF-8"),
        (json.dumps({"format": "autre"}).encode(), "format : &#x27;vae-portal-referential&#x27; attendu"),
    ],
)
def test_a_malformed_file_is_refused_with_a_french_message(certifier_client, raw, message):
    before = Certification.objects.count()
    response = certifier_client.post(reverse("backoffice:referential_import"), {"file": _upload(raw)})
    assert message in response.content.decode()
    assert Certification.objects.count() == before


def test_a_file_with_one_bad_competence_imports_nothing_and_names_the_place(certifier_client, cert):
    document = export_document([cert])
    org = cert.certifiers.get()
    second = {**document["certifications"][0], "code": "RNCP40001", "slug": "autre"}
    second["blocks"] = [dict(b) for b in second["blocks"]]
    second["blocks"][1]["competencies"] = [{"text": "", "order": 1}]
    second["certifiers"] = [{"name": org.legal_name, "siret": org.siret}]
    document["certifications"].append(second)

    response = certifier_client.post(reverse("backoffice:referential_import"), {"file": _upload(document)})

    assert "certifications[1].blocks[1].competencies[0].text" in response.content.decode()
    assert "rien n&#x27;a été importé" in response.content.decode()
    assert not Certification.objects.filter(status="draft").exists()


def test_importing_another_organisations_certification_is_refused(certifier_client, cert):
    foreign = make_certification(published=True, code="RNCP41111")
    response = certifier_client.post(
        reverse("backoffice:referential_import"), {"file": _upload(export_document([foreign]))}
    )
    assert "appartient à un autre certificateur" in response.content.decode()
    assert not Certification.objects.filter(lineage=foreign.lineage, status="draft").exists()


def test_importing_a_new_certification_of_another_organisation_is_refused(certifier_client):
    foreign = make_certification(code="RNCP42222")
    document = export_document([foreign])
    foreign.delete()
    response = certifier_client.post(reverse("backoffice:referential_import"), {"file": _upload(document)})
    assert "aucun des certificateurs du fichier n&#x27;est votre organisme" in response.content.decode()
    assert not Certification.objects.filter(code="RNCP42222").exists()


def test_deleting_a_draft_from_the_editor(certifier_client, draft):
    certifier_client.post(reverse("backoffice:referential_delete", args=[draft.pk]))
    assert not Certification.objects.filter(pk=draft.pk).exists()


def test_a_certifier_of_several_organisations_sees_all_their_certifications(client):
    a, b = make_certification(published=True, title="Titre A"), make_certification(published=True, title="Titre B")
    user = certifier_of(a)
    b.certifiers.first().staff.add(user)
    client.force_login(user)
    page = client.get(reverse("backoffice:referentials")).content.decode()
    assert "Titre A" in page and "Titre B" in page
    assert Competency.objects.exists()


def test_the_editor_needs_a_fixed_number_of_queries(certifier_client, cert, django_assert_max_num_queries):
    small = services.new_version(cert)
    big = make_certification(blocks=6, competencies=10)
    big.certifiers.set(cert.certifiers.all())
    for draft in (small, big):
        services.create_rubric(draft, method=services.add_assessment_method(draft, kind="oral_exam"))
    with django_assert_max_num_queries(28) as ctx:
        certifier_client.get(editor(small))
    count = len(ctx.captured_queries)
    with django_assert_max_num_queries(28) as ctx:
        certifier_client.get(editor(big))
    assert len(ctx.captured_queries) == count


def test_edit_pages_of_a_published_version_send_back_to_its_editor(certifier_client, cert):
    block = cert.blocks.first()
    for url in [
        reverse("backoffice:referential_identity", args=[cert.pk]),
        reverse("backoffice:block_edit", args=[block.pk]),
        reverse("backoffice:competency_add", args=[block.pk]),
        reverse("backoffice:criterion_add", args=[block.rubric.pk]),
    ]:
        response = certifier_client.get(url)
        assert response["Location"] == editor(cert), url


def test_each_part_of_the_editor_keeps_its_address():
    """The generic views' URLs are made from declarations: their names and paths stay these."""
    expected = {
        "block_add": "/certificateur/referentiels/1/blocs/ajouter/",
        "block_edit": "/certificateur/blocs/1/modifier/",
        "block_delete": "/certificateur/blocs/1/supprimer/",
        "block_move": "/certificateur/blocs/1/deplacer/",
        "competency_add": "/certificateur/blocs/1/competences/ajouter/",
        "competency_edit": "/certificateur/competences/1/modifier/",
        "competency_delete": "/certificateur/competences/1/supprimer/",
        "competency_move": "/certificateur/competences/1/deplacer/",
        "method_add": "/certificateur/referentiels/1/modalites/ajouter/",
        "method_edit": "/certificateur/modalites/1/modifier/",
        "method_delete": "/certificateur/modalites/1/supprimer/",
        "rubric_delete": "/certificateur/grilles/1/supprimer/",
        "criterion_add": "/certificateur/grilles/1/criteres/ajouter/",
        "criterion_edit": "/certificateur/criteres/1/modifier/",
        "criterion_delete": "/certificateur/criteres/1/supprimer/",
        "criterion_move": "/certificateur/criteres/1/deplacer/",
        "level_add": "/certificateur/grilles/1/niveaux/ajouter/",
        "level_edit": "/certificateur/niveaux/1/modifier/",
        "level_delete": "/certificateur/niveaux/1/supprimer/",
        "level_move": "/certificateur/niveaux/1/deplacer/",
    }
    assert {name: reverse(f"backoffice:{name}", args=[1]) for name in expected} == expected


def test_an_import_says_whether_the_file_or_the_rule_refused_it(certifier_client, cert):
    url = reverse("backoffice:referential_import")
    malformed = certifier_client.post(url, {"file": _upload({"format": "inconnu"})}).content.decode()
    foreign = make_certification(published=True, code="RNCP41112")
    refused = certifier_client.post(url, {"file": _upload(export_document([foreign]))}).content.decode()

    assert "Fichier refusé, rien n&#x27;a été importé." in malformed
    assert "Rien n&#x27;a été importé. La certification" in refused
    assert "Fichier refusé" not in refused
