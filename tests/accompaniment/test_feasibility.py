"""The accompanied version of the dossier de faisabilité (arrêté du 3 juillet 2025; Code du travail
R6412-3: "le cas échéant, l'avis" of the accompagnateur): the organisation's opinion, the planned
parcours and the candidate's acceptance are frozen with the request, printed in its PDF and read
by the certifier from the snapshot."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accompaniment import services
from documents import pdf
from dossiers import feasibility
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from tests.accompaniment.helpers import accompany, make_organisation, staff_of
from tests.factories import certifier_of, dossier_in_state, fill_feasibility, make_certification

pytestmark = pytest.mark.django_db

PARCOURS = {
    "verdict": "favorable",
    "comment": "Expérience de coordination en lien direct avec les blocs visés.",
    "recommendations": "Approfondir la conduite de réunion.",
    "individual_hours": 12,
    "collective_hours": 6,
    "training_hours": 21,
    "mandatory_training": "Sauveteur secouriste du travail",
    "basic_skills": "Bureautique : tableur",
}


@pytest.fixture
def accompanied():
    certification = make_certification(published=True)
    dossier = dossier_in_state(S.DRAFT, certification=certification)
    org = make_organisation(certification, name="Cap Avenir", siret="12345678900011")
    aap = staff_of(org, first_name="Sonia", last_name="Perrin")
    accompaniment = accompany(dossier, org, aap)
    fill_feasibility(dossier)
    opinion = services.give_opinion(accompaniment, aap, **PARCOURS)
    return dossier, opinion


@pytest.fixture
def submitted(accompanied):
    dossier, opinion = accompanied
    services.accept_parcours(opinion, dossier.candidate)
    dossier_services.request_feasibility(dossier, dossier.candidate)
    return dossier


def test_the_snapshot_of_an_accompanied_request_holds_the_opinion_the_parcours_and_the_acceptance(submitted):
    frozen = submitted.snapshots.get(kind="feasibility").content["feasibility"]["accompanied"]

    assert frozen["organisation"] == "Cap Avenir" and frozen["siret"] == "12345678900011"
    assert (frozen["verdict"], frozen["verdict_label"]) == ("favorable", "favorable")
    assert frozen["comment"] == PARCOURS["comment"] and frozen["recommendations"] == PARCOURS["recommendations"]
    assert frozen["given_by"] == "Sonia Perrin" and frozen["given_at"]
    assert (frozen["individual_hours"], frozen["collective_hours"], frozen["training_hours"]) == (12, 6, 21)
    assert frozen["mandatory_training"] == "Sauveteur secouriste du travail"
    assert frozen["basic_skills"] == "Bureautique : tableur"
    assert frozen["accepted_at"] and "je m'engage à le suivre" in frozen["commitment"]


def test_the_frozen_opinion_does_not_follow_the_live_one(submitted):
    opinion = submitted.accompaniments.get().opinion
    type(opinion).objects.filter(pk=opinion.pk).update(comment="Réécrit après le dépôt.", individual_hours=40)

    frozen = submitted.snapshots.get(kind="feasibility").content["feasibility"]["accompanied"]

    assert frozen["comment"] == PARCOURS["comment"] and frozen["individual_hours"] == 12


def test_an_autonomous_request_freezes_no_accompanied_section(db):
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED)

    content = dossier.snapshots.get(kind="feasibility").content

    assert content["feasibility"]["accompanied"] is None
    assert "accompanied" not in [s["key"] for s in feasibility.readable_sections(content)]


def test_the_request_does_not_leave_before_the_candidate_accepts_the_parcours(accompanied):
    dossier, _opinion = accompanied

    with pytest.raises(dossier_services.IncompleteDossier) as refused:
        dossier_services.request_feasibility(dossier, dossier.candidate)

    [missing] = refused.value.missing
    assert "acceptez le parcours qu'il prévoit" in missing.message and "Cap Avenir" in missing.message
    assert missing.url == reverse("accompaniment:candidate", args=[dossier.pk])
    dossier.refresh_from_db()
    assert dossier.status == S.DRAFT and not dossier.snapshots.exists()


def test_the_request_page_names_the_missing_acceptance_with_a_link(client, accompanied):
    dossier, _opinion = accompanied
    client.force_login(dossier.candidate)

    page = client.get(reverse("dossiers:request_feasibility", args=[dossier.pk])).content.decode()

    assert "acceptez le parcours qu&#x27;il prévoit" in page
    assert f'href="{reverse("accompaniment:candidate", args=[dossier.pk])}"' in page


def test_the_candidate_reads_what_accepting_the_parcours_declares(client, accompanied):
    dossier, _opinion = accompanied
    client.force_login(dossier.candidate)

    page = client.get(reverse("accompaniment:candidate", args=[dossier.pk])).content.decode()

    assert "En acceptant, vous déclarez" in page and "je m&#x27;engage à le suivre" in page


def test_the_accompanied_section_comes_before_the_signed_block_in_the_readable_sections(submitted):
    sections = feasibility.readable_sections(submitted.snapshots.get(kind="feasibility").content)

    keys = [s["key"] for s in sections]
    assert keys[-2:] == ["accompanied", "signature"] and [s["number"] for s in sections] == list(range(1, 10))
    accompanied = sections[-2]
    assert accompanied["missing"] == 0
    values = {r["label"]: r["value"] for r in accompanied["rows"] if "label" in r}
    assert values["Avis"] == "Favorable"
    assert values["Accompagnement individuel"] == "12 heures"
    assert values["Formation"] == "21 heures"


def test_the_pdf_of_an_accompanied_request_prints_the_opinion_the_parcours_and_the_acceptance(submitted):
    snapshot = submitted.snapshots.get(kind="feasibility")

    rendered = pdf.render_snapshot(snapshot)

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(rendered.pdf)).pages)
    flat = re.sub(r"[\s\-‐]+", "", text)
    assert "(candidat accompagné)" in text and "candidat sans accompagnement" not in text
    headings = ["7.Piècesjointes", "8.Avisdel'accompagnateuretparcoursprévu", "9.Engagementetsignatureducandidat"]
    positions = [flat.index(h) for h in headings]
    assert positions == sorted(positions)
    for value in [
        "Cap Avenir (SIRET 12345678900011)",
        "Favorable",
        PARCOURS["comment"],
        PARCOURS["recommendations"],
        "12 heures",
        "6 heures",
        "21 heures",
        "Sauveteur secouriste du travail",
        "Bureautique : tableur",
        "je m'engage à le suivre",
        "Avis lu et parcours accepté le",
    ]:
        assert re.sub(r"[\s\-‐]+", "", value) in flat, value
    accepted = flat.index("Avisluetparcoursacceptéle")
    assert "nonrenseigné" not in flat[accepted : accepted + 40]


def test_the_certifier_reads_the_accompanied_section_from_the_snapshot(client, submitted):
    opinion = submitted.accompaniments.get().opinion
    type(opinion).objects.filter(pk=opinion.pk).update(comment="Réécrit après le dépôt.")
    client.force_login(certifier_of(submitted.certification))

    page = client.get(reverse("backoffice:dossier", args=[submitted.pk])).content.decode()

    assert 'id="rubrique-accompanied"' in page
    assert page.index('id="rubrique-accompanied"') < page.index('id="rubrique-signature"')
    assert "(candidat accompagné)" in page
    assert PARCOURS["comment"] in page and "Réécrit après le dépôt." not in page
    assert "Sauveteur secouriste du travail" in page and "21 heures" in page
