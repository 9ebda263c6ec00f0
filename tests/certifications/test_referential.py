import json

import pytest
from django.core.management import CommandError, call_command

from certifications import services
from certifications.models import Certification, Competency
from certifications.referential import (
    ReferentialFormatError,
    export_certification,
    export_document,
    import_document,
)
from tests.factories import make_certification

pytestmark = pytest.mark.django_db


def _without_identity(doc):
    """status and version are decided by the importing portal."""
    for cert in doc["certifications"]:
        cert.pop("status")
        cert.pop("version")
    return doc


def test_export_then_import_then_export_gives_the_same_document(reference_certifications):
    exported = export_document(Certification.objects.order_by("title"))

    imported = import_document(json.loads(json.dumps(exported)))
    again = export_document(imported)

    assert _without_identity(again) == _without_identity(exported)


def test_import_of_an_existing_certification_creates_a_new_draft_version():
    cert = make_certification(published=True)
    doc = export_document([cert])

    (draft,) = import_document(doc)

    assert (draft.lineage, draft.version, draft.status) == (cert.lineage, 2, "draft")


def test_the_export_command_writes_json_and_the_import_command_reads_it(tmp_path, capsys):
    cert = make_certification(published=True, code="RNCP12345")
    call_command("export_referential", "RNCP12345")
    path = tmp_path / "ref.json"
    path.write_text(capsys.readouterr().out, encoding="utf-8")

    call_command("import_referential", str(path))

    assert Certification.objects.filter(code="RNCP12345").count() == 2
    assert "Brouillon créé" in capsys.readouterr().out
    assert services.publication_problems(Certification.objects.get(code="RNCP12345", version=2)) == []
    assert cert.blocks.count() == 2


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="autre"), "format"),
        (lambda d: d.update(version=2), "version"),
        (lambda d: d["certifications"][0].pop("title"), "certifications[0].title"),
        (lambda d: d["certifications"][0].update(level=12), "level"),
        (lambda d: d["certifications"][0].update(code="ABC123"), "code"),
        (lambda d: d["certifications"][0]["blocks"][1].update(order=1), "blocks[1].order"),
        (
            lambda d: d["certifications"][0]["blocks"][0]["competencies"][0].update(text=""),
            "competencies[0].text",
        ),
        (lambda d: d["certifications"][0]["blocks"][0]["assessment_methods"][0].update(kind="quiz"), "kind"),
        (
            lambda d: d["certifications"][0]["blocks"][0]["rubric"]["criteria"][0].update(weight="lourd"),
            "weight",
        ),
        (
            lambda d: d["certifications"][0]["blocks"][0]["rubric"]["criteria"][0].update(
                competencies=[{"block": 1, "competency": 99}]
            ),
            "aucune compétence d'ordre 99",
        ),
    ],
)
def test_a_malformed_document_is_refused_with_a_message_naming_the_problem(mutate, message):
    doc = export_document([make_certification(code="RNCP11111")])
    # A second, valid certification before the broken one proves nothing is half-imported.
    doc["certifications"].insert(0, export_certification(make_certification(code="RNCP22222")))
    doc["certifications"].reverse()
    mutate(doc)
    before = (Certification.objects.count(), Competency.objects.count())

    with pytest.raises(ReferentialFormatError, match=message.replace("[", r"\[").replace("]", r"\]")):
        import_document(doc)

    assert (Certification.objects.count(), Competency.objects.count()) == before


def test_the_import_command_explains_invalid_json_and_imports_nothing(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "vae-portal-referential", "version": 1, "certifications": [', encoding="utf-8")

    with pytest.raises(CommandError, match="ligne 1, colonne"):
        call_command("import_referential", str(path))
    assert Certification.objects.count() == 0
