import io

import pytest
from pypdf import PdfReader

from accounts import demo as accounts_demo
from dossiers import demo
from dossiers.enums import DossierStatus as S
from dossiers.models import Dossier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _opened_while_registered():
    """As ``seed_demo`` runs it: RNCP35203's registration has ended, its demo dossier was opened before."""
    from vae_portal.demo_clock import dossiers_opened_while_registered

    with dossiers_opened_while_registered():
        yield


def test_the_demo_gives_each_candidate_their_dossiers_once(reference_certifications):
    accounts_demo.seed()

    created = demo.seed()
    again = demo.seed()

    assert len(created) == 4 and again == []
    mine = {
        d.certification.code or d.certification.slug: d
        for d in Dossier.objects.filter(candidate__email=demo.CANDIDATE_1)
    }
    assert mine["RNCP41296"].status == S.DRAFT
    assert mine["RNCP35203"].status == S.ADMISSIBLE
    assert mine[demo.SLUG_004].status == S.VALIDATION_SUBMITTED
    assert mine[demo.SLUG_004].snapshots.filter(kind="validation").count() == 1
    written = mine["RNCP35203"].statements.exclude(narrative="")
    assert written.count() == 5 and all(s.proofs.exists() for s in written)
    assert Dossier.objects.get(candidate__email=demo.CANDIDATE_2).status == S.DRAFT


def test_demo_proofs_are_real_pdf_files(reference_certifications):
    accounts_demo.seed()
    demo.seed()
    dossier = Dossier.objects.get(candidate__email=demo.CANDIDATE_1, certification__code="RNCP35203")
    for proof in dossier.proofs.all():
        with proof.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        assert len(reader.pages) == 1
        assert proof.title.split()[0] in reader.pages[0].extract_text()


def test_the_demo_dossier_on_an_expired_certification_was_opened_before_its_end(reference_certifications):
    accounts_demo.seed()
    demo.seed()

    dossier = Dossier.objects.get(candidate__email=demo.CANDIDATE_1, certification__code="RNCP35203")
    assert dossier.certification.registration_expired
    assert dossier.created_at.date() < dossier.certification.end_of_registration
    assert dossier.transitions.order_by("pk").first().created_at.date() < dossier.certification.end_of_registration
