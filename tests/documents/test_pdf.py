import io
import re

import pytest
from pypdf import PdfReader

from documents import pdf
from dossiers.enums import DossierStatus as S
from dossiers.models import Snapshot
from tests.documents.conftest import body_text, build_submitted_dossier, squash
from tests.documents.helpers import add_proof, text_pdf
from tests.factories import dossier_in_state, fill_validation

# Every test here runs with the database, even those reading the module's rendered PDF: so
# pytest-django orders them with the other database tests, as the access matrix's tests are.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def reader(rendered_validation):
    rendered, _ = rendered_validation
    return PdfReader(io.BytesIO(rendered.pdf))


@pytest.fixture(scope="module")
def texts(reader):
    return [page.extract_text() for page in reader.pages]


def test_the_dossier_pdf_opens_with_a_page_count_of_the_expected_order(rendered_validation, reader):
    rendered, _ = rendered_validation
    # cover, contents, experiences, 2 blocs of 3 long narratives, annex, photo, 2 separators, 1 + 3 proof pages
    assert 14 <= len(reader.pages) <= 40
    assert rendered.pages == len(reader.pages)


def test_the_pdf_holds_every_competence_text_and_narrative_of_the_snapshot(rendered_validation, texts):
    _, content = rendered_validation
    text = squash(body_text(texts, content["candidate"]["name"]))
    competencies = [c for block in content["blocks"] for c in block["competencies"]]
    assert len(competencies) == 6
    for comp in competencies:
        assert squash(comp["text"]) in text
        assert squash(comp["narrative"]) in text, comp["code"]


def test_the_cover_names_candidate_certification_blocs_and_the_snapshot_hash(rendered_validation, texts):
    _, content = rendered_validation
    cover = texts[0]
    assert content["candidate"]["name"] in cover
    assert content["certification"]["code"] in cover
    assert "niveau 6" in cover
    assert content["certification"]["certifiers"][0] in cover
    for block in content["blocks"]:
        assert block["code"] in cover
    assert "Déposé le" in cover
    assert rendered_validation[0].content_sha256 in squash(cover)


def test_the_table_of_contents_gives_the_page_of_each_competence(texts):
    contents = texts[1]
    assert "Sommaire" in contents
    entry = re.search(r"C1\.1 Compétence 1 du bloc 1\s*p\.\s*(\d+)", contents)
    assert entry, contents[:500]
    assert "Compétence 1 du bloc 1" in texts[int(entry.group(1)) - 1]


def test_every_page_has_the_running_header_and_a_page_x_of_y_footer(rendered_validation, texts):
    _, content = rendered_validation
    total = len(texts)
    body_pages = [i for i, text in enumerate(texts) if f"page {i + 1} / {total}" in text]
    inserted = 4  # proof pages are copied untouched
    assert len(body_pages) == total - inserted
    assert content["candidate"]["name"] in texts[3]


def test_the_annex_lists_every_proof_with_its_sha256(rendered_validation, texts):
    _, content = rendered_validation
    text = squash(body_text(texts, content["candidate"]["name"]))
    annex = text[text.index("Annexe:listedespreuves", text.index("Annexe:listedespreuves") + 1) :]
    for proof in content["proofs"]:
        assert proof["sha256"] in annex
        assert squash(proof["title"]) in annex


def test_pdf_proof_pages_are_appended_each_behind_a_separator_page_naming_it(texts):
    separator = next(i for i, t in enumerate(texts) if "Attestation de l'employeur" in t and "Preuve P2" in t)
    assert "Les 3 pages suivantes" in texts[separator]
    assert "Attestation employeur, page une" in texts[separator + 1]
    assert "Suite page deux" in texts[separator + 2]
    assert "Signature page trois" in texts[separator + 3]


def test_image_proofs_are_placed_in_the_document_scaled_to_the_page(reader, texts):
    page = next(p for p, t in zip(reader.pages, texts, strict=True) if "Photo de l'atelier" in t and p.images)
    image = page.images[0]
    assert image.image.size == (1600, 1200)
    assert float(page.mediabox.width) == pytest.approx(595.28, abs=0.1)  # A4, whatever the photo's size


def test_office_proofs_are_listed_and_embedded_not_converted(reader, texts):
    assert "compte-rendu.docx" in reader.attachments
    assert "nonconverti" in squash("".join(texts))


def test_the_pdf_is_pdf_a_3b_with_title_author_and_subject(rendered_validation, reader):
    rendered, content = rendered_validation
    assert rendered.pdfa
    assert reader.metadata.title.startswith("Dossier de validation — " + content["candidate"]["name"])
    assert reader.metadata.author == content["candidate"]["name"]
    assert content["certification"]["title"] in reader.metadata.subject
    xmp = reader.root_object["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part(="|>)3', xmp)
    assert re.search(r'pdfaid:conformance(="|>)B', xmp)
    assert reader.root_object["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"


def test_the_html_asks_for_french_hyphenation_and_page_numbers_from_weasyprint(rendered_validation):
    html = rendered_validation[0].html
    assert '<html lang="fr">' in html
    assert "hyphens: auto" in html
    assert "target-counter(attr(href), page)" in html
    assert 'counter(page) " / " counter(pages)' in html


def test_a_proof_that_would_break_pdf_a_is_still_appended_but_the_pdf_a_claim_is_dropped():
    unembedded = text_pdf(["Scan du certificat"])
    dossier, snapshot = build_submitted_dossier(
        blocks=1, competencies=1, proofs=[(unembedded, "certificat.pdf", "application/pdf", "Certificat")]
    )

    rendered = pdf.render_snapshot(snapshot)

    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert not rendered.pdfa
    assert "Scan du certificat" in reader.pages[-1].extract_text()
    xmp = reader.root_object["/Metadata"].get_object().get_data().decode()
    assert "pdfaid:part" not in xmp
    assert reader.metadata.title  # the rest of the metadata stays


def test_a_proof_file_changed_since_submission_is_not_reproduced():
    dossier = dossier_in_state(S.ADMISSIBLE)
    fill_validation(dossier)
    proof = add_proof(dossier, text_pdf(["Version déposée"]), "contrat.pdf", "application/pdf", "Contrat")
    dossier.statements.first().proofs.add(proof)
    from dossiers import services

    snapshot = services.submit_validation(dossier, dossier.candidate)
    with open(proof.file.path, "wb") as fh:
        fh.write(text_pdf(["Version modifiée"]))

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.render_snapshot(snapshot).pdf)).pages)

    assert "Version modifiée" not in text
    assert "ne correspond plus à l'empreinte" in text


def test_the_recevabilite_request_pdf_holds_experiences_durations_positioning_and_sworn_statement():
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED)
    snapshot = Snapshot.objects.get(dossier=dossier, kind="feasibility")

    rendered = pdf.render_snapshot(snapshot)

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(rendered.pdf)).pages)
    assert "Demande de recevabilité" in text
    assert "Association Les Ateliers" in text
    assert re.search(r"\d+ ans? et \d+ mois", text)
    assert "10 h par semaine" in text
    assert "Compétence 1 du bloc 1" in text
    assert "la déclaration sur l'honneur" in text
    assert "identite.pdf" in text
    assert rendered.pdfa


def test_the_recevabilite_request_pdf_follows_the_models_sections_in_order_with_missing_fields_marked():
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED)
    snapshot = Snapshot.objects.get(dossier=dossier, kind="feasibility")
    snapshot.content["feasibility"]["nationality"] = ""
    snapshot.content["feasibility"]["identity"]["nationality"] = ""

    rendered = pdf.render_snapshot(snapshot)

    text = squash(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(rendered.pdf)).pages))
    headings = [
        "1.Naturedelademande",
        "2.Certificationvisée",
        "3.Prérequis",
        "4.Lecandidat",
        "5.Expériencesenlienaveclacertification",
        "6.Activitésparblocdecompétences",
        "7.Piècesjointes",
        "8.Engagementetsignatureducandidat",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    for value in [
        "Premièredemande",
        "Girard",
        "Lucie,Anne",
        "bénévole",
        "12ruedesLilas",
        "OUI",
        "jenesouhaitepasd'accompagnement",
    ]:
        assert squash(value).lower() in text.lower(), value
    nationality = text.index("Nationalité")
    assert text[nationality : nationality + 40].startswith("Nationaliténonrenseigné")


def test_a_draft_preview_is_marked_as_a_draft_on_every_page():
    dossier = dossier_in_state(S.ADMISSIBLE)
    fill_validation(dossier)

    rendered = pdf.render_draft(dossier)

    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert len(reader.pages) > 3
    for page in reader.pages:
        assert "BROUILLON" in page.extract_text()
    assert "seront insérées ici" in "".join(p.extract_text() for p in reader.pages) or "sera insérée ici" in "".join(
        p.extract_text() for p in reader.pages
    )


def test_no_active_content_of_a_proof_pdf_reaches_the_dossier_pdf(caplog):
    """A proof carrying scripts, launch actions, a form field, an attached executable and
    multimedia (uploaded before the upload check refused them, or slipping past it): its pages
    are reproduced, without any of it; its honest web link stays."""
    from tests.documents.helpers import HOSTILE_TEXT, active_content, hostile_pdf

    assert active_content(hostile_pdf())  # the proof does carry all of it
    dossier, snapshot = build_submitted_dossier(
        blocks=1, competencies=1, proofs=[(hostile_pdf(), "attestation.pdf", "application/pdf", "Attestation")]
    )

    rendered = pdf.render_snapshot(snapshot)

    assert active_content(rendered.pdf) == []
    assert b"/JavaScript" not in rendered.pdf and b"/Launch" not in rendered.pdf
    reader = PdfReader(io.BytesIO(rendered.pdf))
    texts = [page.extract_text() for page in reader.pages]
    assert any(HOSTILE_TEXT in text for text in texts) and "Seconde page" in texts[-1]
    uris = [
        annot.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annot in page.get("/Annots") or []
        if "/A" in annot.get_object() and annot.get_object()["/A"].get("/S") == "/URI"
    ]
    assert "https://www.francevae.fr/" in uris
    assert "removed from a copied page" in caplog.text


def test_a_draft_preview_strips_the_same_active_content():
    from tests.documents.helpers import active_content, hostile_pdf

    dossier = dossier_in_state(S.ADMISSIBLE)
    fill_validation(dossier)
    add_proof(dossier, hostile_pdf(), "attestation.pdf", "application/pdf", "Attestation")

    assert active_content(pdf.render_draft(dossier).pdf) == []


def test_a_proof_pdf_past_the_page_limits_is_not_reproduced(settings):
    """Files submitted before the limits, or under higher ones: the dossier PDF says so instead
    of reproducing them."""
    proofs = [
        (text_pdf([f"Longue {n}" for n in range(4)]), "longue.pdf", "application/pdf", "Longue"),
        (text_pdf([f"Courte {n}" for n in range(3)]), "courte.pdf", "application/pdf", "Courte"),
        (text_pdf([f"Suivante {n}" for n in range(3)]), "suivante.pdf", "application/pdf", "Suivante"),
    ]
    dossier, snapshot = build_submitted_dossier(blocks=1, competencies=1, proofs=proofs)
    settings.PROOF_MAX_PAGES = 3
    settings.DOSSIER_MAX_PROOF_PAGES = 5

    rendered = pdf.render_snapshot(snapshot)

    text = squash(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(rendered.pdf)).pages))
    assert squash("Longue 0") not in text and squash("PDF de 4 pages : au-delà de 3") in text
    assert all(squash(f"Courte {n}") in text for n in range(3))
    assert squash("Suivante 0") not in text and squash("dépasseraient les 5 pages") in text


def test_an_office_proof_that_inflates_past_the_limit_is_not_attached(monkeypatch):
    from dossiers import uploads
    from tests.security.test_hostile_uploads import docx_lying_bomb

    monkeypatch.setattr(uploads, "MAX_UNCOMPRESSED", 10 * 1024 * 1024)
    bomb = docx_lying_bomb(inflated=20 * 1024 * 1024)
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    dossier, snapshot = build_submitted_dossier(blocks=1, competencies=1, proofs=[(bomb, "cr.docx", docx, "CR")])

    rendered = pdf.render_snapshot(snapshot)

    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert "cr.docx" not in (reader.attachments or {})
    assert squash("anormalement volumineux une fois décompressé") in squash(
        " ".join(p.extract_text() for p in reader.pages)
    )
