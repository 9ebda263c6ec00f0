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


def test_the_demo_dossiers_de_faisabilite_fit_their_certification_and_their_candidate(reference_certifications):
    accounts_demo.seed()
    demo.seed()

    requests = {
        d.certification.code or d.certification.slug: d
        for d in Dossier.objects.filter(candidate__email=demo.CANDIDATE_1, snapshots__kind="feasibility")
    }
    assert set(requests) == {"RNCP35203", demo.SLUG_004}
    titles = set()
    for key, dossier in requests.items():
        frozen = dossier.snapshots.get(kind="feasibility").content["feasibility"]
        assert frozen["identity"]["first_names"][0] == "Hugo" and frozen["identity"]["sex"] == "M"
        assert frozen["titles_held"] == demo.PROFILES[key]["titles_held"] and "BTS" not in frozen["titles_held"]
        titles.add(frozen["titles_held"])
        for block in frozen["blocks"]:
            order = dossier.certification.blocks.get(pk=block["id"]).order
            assert (block["activity"], block["comment"]) == demo.PROFILES[key]["blocks"][order]
    assert len(titles) == 2
    # The school coordinator's blocs speak of a school, not of a solidarity project.
    school = requests[demo.SLUG_004].snapshots.get(kind="feasibility").content["feasibility"]["blocks"]
    assert "proviseur" in school[0]["comment"]


def test_every_shipped_certification_has_a_comment_for_each_of_its_blocs(reference_certifications):
    from certifications.models import Certification

    for cert in Certification.objects.filter(code__in=["RNCP35203", "RNCP41296"]) | Certification.objects.filter(
        slug__in=[demo.SLUG_CPSL, demo.SLUG_004]
    ):
        profile = demo.profile_of(cert)
        assert sorted(profile["blocks"]) == sorted(cert.blocks.values_list("order", flat=True)), cert


def test_a_bloc_without_a_written_comment_gets_one_from_its_title():
    class Bloc:
        order, title = 9, "Animer un réseau de bénévoles."

    activity, comment = demo.block_answer(demo.ANY_CERTIFICATION, Bloc, 0)

    assert activity == "yes" and "« Animer un réseau de bénévoles »" in comment


@pytest.mark.parametrize(
    ("first_name", "sex", "role"),
    [("Karim", "M", "Coordinateur de projets"), ("Léa", "F", "Coordinatrice de projets"), ("", "F", None)],
)
def test_the_civil_sex_and_the_job_titles_follow_the_first_name(first_name, sex, role):
    from accounts.models import User

    candidate = User(first_name=first_name)

    assert demo.sex_of(first_name or "Camille") == sex
    assert demo.experiences_for(candidate)[0]["role"] == (role or "Coordinatrice de projets")


def test_every_demo_first_name_has_its_sex():
    from accounts.demo import CANDIDATE_ACCOUNTS
    from backoffice.demo import CANDIDATES as BACKOFFICE
    from juries.demo import CANDIDATES as JURIES

    names = {first for _email, first, _last in CANDIDATE_ACCOUNTS}
    names |= {first for first, _last in [*BACKOFFICE.values(), *JURIES.values()]}

    assert names <= set(demo.FIRST_NAME_SEX)


def test_the_demo_dossier_on_an_expired_certification_was_opened_before_its_end(reference_certifications):
    accounts_demo.seed()
    demo.seed()

    dossier = Dossier.objects.get(candidate__email=demo.CANDIDATE_1, certification__code="RNCP35203")
    assert dossier.certification.registration_expired
    assert dossier.created_at.date() < dossier.certification.end_of_registration
    assert dossier.transitions.order_by("pk").first().created_at.date() < dossier.certification.end_of_registration
