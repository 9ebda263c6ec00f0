"""The VAE route of a certification whose transversal assessment differs by access route (004):
the training route's written work is neither scored nor decided, the VAE candidate writes what
their route asks (a transversal narrative with proofs), the jury scores that."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from certifications import referential
from certifications.models import AssessmentMethod
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from dossiers.models import TransversalStatement
from dossiers.snapshots import build_content
from juries import queries, services
from juries.enums import Attendance, JuryResult
from tests.factories import NARRATIVE, UserFactory, dossier_in_state
from tests.juries.helpers import decisions, declare_none, jury_session, score_everything

pytestmark = pytest.mark.django_db

SLUG_004 = "coordinateur-operationnel-etablissements-educatifs"


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def cert004(reference_certifications):
    return reference_certifications.get(slug=SLUG_004)


@pytest.fixture
def vae_session(cert004):
    """A session today with one candidate on the whole of 004, their dossier de validation
    submitted with a transversal narrative (``tests.factories.fill_validation``)."""
    session, members, (conv,) = jury_session(cert004)
    return session, members, conv


def test_the_fixture_marks_the_written_work_training_only_and_gives_the_vae_routes_assessment(cert004):
    training = cert004.transversal_assessments.get(access_routes="training")
    vae = cert004.transversal_assessments.get(access_routes="vae")
    assert training.title == "Épreuve finale transversale"
    assert training.vae_requirement.startswith(
        "Par la voie de la VAE : la preuve de la capacité du candidat à mobiliser de manière coordonnée les compétences"
    )
    assert vae.rubric.criteria.count() == 4
    assert "déduite, non officielle" in cert004.notes


def test_failing_nothing_of_the_training_route_a_vae_candidate_gets_the_full_title(vae_session):
    session, (president, pro), conv = vae_session
    items = queries.assessed_items(conv.dossier)
    assert [i.method.access_routes for i in items if not i.is_block] == ["vae"]
    declare_none([president, pro], conv)
    services.record_attendance(conv, president, Attendance.PRESENT)
    conv.refresh_from_db()
    score_everything([president, pro], conv)
    decision = services.record_decision(conv, president, decisions(conv))
    assert decision.result == JuryResult.FULL_SUCCESS_OF_FULL_CERTIFICATION
    assert [i.assessment_method.access_routes for i in decision.items.all() if i.assessment_method_id] == ["vae"]


def test_the_vae_transversal_proof_not_validated_keeps_the_title_partial(vae_session):
    session, (president, pro), conv = vae_session
    declare_none([president, pro], conv)
    services.record_attendance(conv, president, Attendance.PRESENT)
    conv.refresh_from_db()
    score_everything([president, pro], conv)
    keys = {i.key: i.is_block for i in queries.assessed_items(conv.dossier)}
    decision = services.record_decision(conv, president, decisions(conv, keys))
    assert decision.result == JuryResult.PARTIAL_SUCCESS_OF_FULL_CERTIFICATION


def test_the_jurors_score_the_candidates_transversal_narrative_beside_each_criterion(vae_session, client):
    session, (president, pro), conv = vae_session
    declare_none([pro], conv)
    vae = next(i for i in queries.assessed_items(conv.dossier) if not i.is_block)
    client.force_login(pro.user)
    response = client.get(reverse("jury:score", args=[conv.pk, vae.rubric.pk]))
    body = page(response)
    assert body.count(NARRATIVE[:60]) == vae.rubric.criteria.count()
    assert "Bilan du projet" in body  # the proof linked to the narrative
    assert "Écrit de 50 à 60 pages" not in body


# --- the candidate's side -----------------------------------------------------------------


def test_the_candidate_writes_the_transversal_narrative_and_it_is_frozen_with_its_proofs(cert004):
    dossier = dossier_in_state(S.ADMISSIBLE, certification=cert004)
    vae = cert004.transversal_assessments.get(access_routes="vae")
    training = cert004.transversal_assessments.get(access_routes="training")
    assert list(dossier.transversal_assessments()) == [vae]
    missing = [m.message for m in dossier_services.validation_missing(dossier)]
    assert any(m.startswith(f"« {str(vae)[:70]} » : le récit compte 0 caractères") for m in missing)
    proof = dossier.proofs.first() or _proof(dossier)
    with pytest.raises(dossier_services.DossierError, match="Cette épreuve transversale n'est pas demandée"):
        dossier_services.save_transversal_statement(dossier, training, "x", [])
    dossier_services.save_transversal_statement(dossier, vae, NARRATIVE, [proof], dossier.candidate)
    content = build_content(dossier)
    assert content["transversal"] == [
        {
            "assessment_method": vae.pk,
            "title": str(vae),
            "asks": vae.description,
            "narrative": NARRATIVE,
            "proofs": [proof.pk],
        }
    ]


def test_a_dossier_on_some_blocs_only_has_no_transversal_part(cert004):
    dossier = dossier_in_state(S.ADMISSIBLE, certification=cert004, blocks=[cert004.blocks.order_by("order")[2]])
    assert not dossier.transversal_assessments().exists()
    assert "transversal" not in build_content(dossier)


def _proof(dossier):
    from tests.factories import fill_validation

    return fill_validation(dossier)


def test_the_transversal_page_is_the_candidates_alone(cert004, client):
    dossier = dossier_in_state(S.ADMISSIBLE, certification=cert004)
    vae = cert004.transversal_assessments.get(access_routes="vae")
    proof = _proof(dossier)
    url = reverse("dossiers:transversal", args=[dossier.pk, vae.pk])
    client.force_login(dossier.candidate)
    body = page(client.get(url))
    assert "la preuve de la capacité du candidat à mobiliser de manière coordonnée les compétences" in body
    saved = client.post(url, {"narrative": "Mon récit transversal.", "proofs": [str(proof.pk)]}, follow=True)
    assert "Récit enregistré." in page(saved)
    written = TransversalStatement.objects.get(dossier=dossier)
    assert written.narrative == "Mon récit transversal." and list(written.proofs.all()) == [proof]
    training = cert004.transversal_assessments.get(access_routes="training")
    assert client.get(reverse("dossiers:transversal", args=[dossier.pk, training.pk])).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_validation_pdf_carries_the_transversal_narrative(cert004):
    from documents.models import GeneratedDocument
    from documents.services import run

    dossier = dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert004)
    doc = GeneratedDocument.objects.get(dossier=dossier, kind="validation")
    run(doc.pk)
    doc.refresh_from_db()
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(doc.file.path).pages).lower()
    vae = cert004.transversal_assessments.get(access_routes="vae")
    # Headings may be set in capitals: compare in lower case.
    assert "récit transversal" in text and vae.title.split(" (")[0][:25].lower() in text


# --- the exchange format ------------------------------------------------------------------


def test_the_access_routes_travel_with_the_referential_and_an_unknown_route_is_refused(cert004):
    data = referential.export_certification(cert004)
    routes = [(t["access_routes"], bool(t["vae_requirement"])) for t in data["transversal_assessments"]]
    assert routes == [("training", True), ("vae", False)]
    read = referential.read_certification(data, "certification")
    assert [t["access_routes"] for t in read["transversal"]] == ["training", "vae"]
    data["transversal_assessments"][0]["access_routes"] = "apprentissage"
    with pytest.raises(referential.ReferentialFormatError, match="access_routes : voie inconnue 'apprentissage'"):
        referential.read_certification(data, "certification")
    del data["transversal_assessments"][0]["access_routes"]
    assert referential.read_certification(data, "certification")["transversal"][0]["access_routes"] == "all"
    assert AssessmentMethod._meta.get_field("access_routes").default == "all"
