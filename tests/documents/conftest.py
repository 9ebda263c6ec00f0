import re

import pytest
from django.db import transaction
from django.test import override_settings

from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from tests.documents.helpers import add_proof, docx_bytes, image_bytes, weasyprint_pdf
from tests.factories import dossier_in_state, fill_validation, make_certification

# Long enough to break across pages, and full of words WeasyPrint hyphenates.
PARAGRAPH = (
    "J'ai organisé la concertation entre les partenaires institutionnels, préparé les comptes rendus "
    "intermédiaires, accompagné individuellement les bénévoles nouvellement recrutés et réorganisé "
    "l'approvisionnement hebdomadaire de l'épicerie solidaire avec la responsable logistique. "
)


def narrative(n: int) -> str:
    return f"Situation {n} : " + PARAGRAPH * 4 + f"\n\nRésultat {n} : " + PARAGRAPH * 3 + f"Fin du récit {n}."


def build_submitted_dossier(blocks: int = 2, competencies: int = 3, proofs=None):
    """A dossier de validation submitted through the services, with a distinct long narrative
    per compétence and, by default, a 3-page PDF, a photograph and an office document as proofs."""
    certification = make_certification(published=True, blocks=blocks, competencies=competencies)
    dossier = dossier_in_state(S.ADMISSIBLE, certification=certification)
    fill_validation(dossier)
    if proofs is None:
        proofs = [
            (
                weasyprint_pdf(["Attestation employeur, page une", "Suite page deux", "Signature page trois"]),
                "attestation.pdf",
                "application/pdf",
                "Attestation de l'employeur",
            ),
            (image_bytes("JPEG", (1600, 1200)), "atelier.jpg", "image/jpeg", "Photo de l'atelier"),
            (
                docx_bytes(),
                "compte-rendu.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "Compte rendu de réunion",
            ),
        ]
    added = [add_proof(dossier, *spec) for spec in proofs]
    for n, statement in enumerate(dossier.statements.order_by("competency__block__order", "competency__order"), 1):
        statement.narrative = narrative(n)
        statement.save()
        statement.proofs.add(*added)
    snapshot = dossier_services.submit_validation(dossier, dossier.candidate)
    return dossier, snapshot


@pytest.fixture(scope="module")
def module_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def rendered_validation(django_db_setup, django_db_blocker, module_media):
    """One dossier de validation rendered once for the module (rendering takes a second or two);
    the database rows are rolled back afterwards."""
    from documents import pdf

    with override_settings(MEDIA_ROOT=module_media), django_db_blocker.unblock(), transaction.atomic():
        dossier, snapshot = build_submitted_dossier()
        rendered = pdf.render_snapshot(snapshot)
        content = snapshot.content
        transaction.set_rollback(True)
    return rendered, content


HYPHENS_AND_SPACES = re.compile(r"[\s\-\u2010\u2011\u00ad]+")


def squash(text: str) -> str:
    """Text without whitespace or hyphens: what survives line breaking and hyphenation."""
    return HYPHENS_AND_SPACES.sub("", text)


def body_text(page_texts: list[str], candidate_name: str) -> str:
    """The PDF's text without running headers and footers, which cut narratives at page ends."""
    lines = []
    for text in page_texts:
        for line in text.splitlines():
            if re.search(r"page \d+ / \d+$", line) or line.startswith(candidate_name):
                continue
            lines.append(line)
    return "\n".join(lines)
