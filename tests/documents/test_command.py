import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from dossiers.enums import DossierStatus as S
from tests.factories import dossier_in_state

pytestmark = pytest.mark.django_db


def test_an_operator_renders_the_latest_submitted_pdf_of_a_dossier_to_a_file(tmp_path):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED)
    out = io.StringIO()

    call_command("render_dossier_pdf", str(dossier.pk), "-o", str(tmp_path / "dossier.pdf"), stdout=out)

    reader = PdfReader(tmp_path / "dossier.pdf")
    assert "Dossier de validation" in reader.pages[0].extract_text()
    assert "dossier de validation" in out.getvalue()
    assert "PDF/A-3b oui" in out.getvalue()


def test_the_command_renders_the_recevabilite_request_on_demand(tmp_path):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED)

    call_command(
        "render_dossier_pdf",
        str(dossier.pk),
        "-o",
        str(tmp_path / "r.pdf"),
        "--kind",
        "feasibility",
        stdout=io.StringIO(),
    )

    assert "Demande de recevabilité" in PdfReader(tmp_path / "r.pdf").pages[0].extract_text()


def test_the_command_says_when_there_is_nothing_submitted(tmp_path):
    dossier = dossier_in_state(S.DRAFT)

    with pytest.raises(CommandError, match="--kind preview"):
        call_command("render_dossier_pdf", str(dossier.pk), "-o", str(tmp_path / "x.pdf"))
