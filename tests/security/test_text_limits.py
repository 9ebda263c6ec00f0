"""Free texts are bounded where people type them: a text past its limit (core.limits) is refused
with a French message, nothing is saved and what was saved before stays. Before, a megabyte of
« activités exercées » gave a 241-page draft preview."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import limits
from dossiers import services
from dossiers.enums import DossierStatus as S
from dossiers.models import CompetencyStatement
from tests.factories import MINIMAL_PDF, dossier_in_state, make_certification

pytestmark = pytest.mark.django_db
AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}
MB = 1024 * 1024


def text(n: int) -> str:
    return ("Animation du conseil de quartier. " * (n // 34 + 1))[:n]


def page(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("\u202f", " ").replace("\xa0", " ")


# --- the candidate --------------------------------------------------------------------------


def test_a_megabyte_of_activities_is_refused_and_no_experience_is_saved(client):
    dossier = services.start_dossier(dossier_in_state(S.DRAFT).candidate, make_certification(published=True))
    client.force_login(dossier.candidate)

    response = client.post(
        reverse("dossiers:experiences", args=[dossier.pk]),
        {
            "kind": "employee",
            "organisation": "Mairie de Brest",
            "role": "Agent de développement",
            "start_date": "2020-01-01",
            "hours_per_week": "35",
            "activities": text(MB),
        },
    )

    assert response.status_code == 200
    assert f"au plus {limits.LONG_TEXT} caractères" in page(response)
    assert not dossier.experiences.exists()


@pytest.fixture
def statement():
    dossier = dossier_in_state(S.ADMISSIBLE)
    return dossier.statements.select_related("competency").first()


def _save(client, statement, **fields):
    url = reverse("dossiers:statement_save", args=[statement.dossier_id, statement.competency_id])
    return client.post(url, {"version": statement.version, **fields}, **AUTOSAVE)


def test_the_autosave_refuses_an_over_long_narrative_clearly_and_keeps_what_was_saved(client, statement):
    client.force_login(statement.dossier.candidate)
    assert _save(client, statement, narrative="Le récit déjà enregistré.").status_code == 200
    statement.refresh_from_db()

    response = _save(client, statement, narrative=text(limits.NARRATIVE + 1))

    assert response.status_code == 400
    message = response.json()["message"]
    assert "Le récit compte 20001 caractères ; 20000 au plus sont acceptés." in message
    assert "ce qui était déjà enregistré est conservé" in message
    stored = CompetencyStatement.objects.get(pk=statement.pk)
    assert (stored.narrative, stored.version) == ("Le récit déjà enregistré.", statement.version)
    assert _save(client, statement, narrative=text(limits.NARRATIVE)).status_code == 200  # at the limit


def test_the_autosave_refuses_an_over_long_self_positioning_comment(client):
    dossier = dossier_in_state(S.DRAFT)
    statement = dossier.statements.first()
    client.force_login(dossier.candidate)

    response = _save(client, statement, self_comment=text(limits.COMMENT + 1))

    assert response.status_code == 400
    assert "Le commentaire compte 4001 caractères" in response.json()["message"]
    assert CompetencyStatement.objects.get(pk=statement.pk).self_comment == ""


def test_the_statement_service_refuses_an_over_long_text_that_did_not_come_through_the_form(statement):
    with pytest.raises(services.DossierError, match=r"Le récit compte 20\s001 caractères"):
        services.save_statement(statement, statement.version, {"narrative": text(limits.NARRATIVE + 1)})
    assert CompetencyStatement.objects.get(pk=statement.pk).narrative == statement.narrative


def test_a_proof_with_an_over_long_description_is_not_stored(client, settings):
    dossier = dossier_in_state(S.ADMISSIBLE)
    before = dossier.proofs.count()
    client.force_login(dossier.candidate)

    response = client.post(
        reverse("dossiers:proofs", args=[dossier.pk]),
        {
            "title": "Attestation",
            "kind": "attestation",
            "description": text(limits.SHORT_TEXT + 1),
            "file": SimpleUploadedFile("a.pdf", MINIMAL_PDF),
        },
    )

    assert f"au plus {limits.SHORT_TEXT} caractères" in page(response)
    assert dossier.proofs.count() == before
    with pytest.raises(services.DossierError, match="La description compte"):
        services.add_proof(
            dossier,
            SimpleUploadedFile("a.pdf", MINIMAL_PDF),
            title="x",
            kind="other",
            description=text(limits.SHORT_TEXT + 1),
        )


# --- the certifier --------------------------------------------------------------------------


def test_a_certifiers_reason_past_its_limit_is_refused_and_the_dossier_does_not_move(client):
    from tests.factories import certifier_of

    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED)
    client.force_login(certifier_of(dossier.certification))

    response = client.post(
        reverse("backoffice:dossier_feasibility", args=[dossier.pk]),
        {"decision": S.FEASIBILITY_INCOMPLETE, "comment": text(limits.LONG_TEXT + 1)},
        follow=True,
    )

    assert f"au plus {limits.LONG_TEXT} caractères" in page(response)
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED
    with pytest.raises(services.DossierError, match="Le motif compte"):
        services.decide_feasibility(dossier, None, S.INADMISSIBLE, text(limits.LONG_TEXT + 1))
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED


def _forms():
    """(name, form built from data, the field, its limit) for every plain form with a free text."""
    from backoffice import forms as backoffice
    from dossiers import forms as dossiers
    from juries import forms as juries

    cert = make_certification(published=True, blocks=1, competencies=1)
    block = cert.blocks.get()
    item = juries.Item(block=block)
    return [
        ("feasibility decision", lambda d: backoffice.FeasibilityDecisionForm(d), "comment", limits.LONG_TEXT),
        ("validation review", lambda d: backoffice.ValidationReviewForm(d), "comment", limits.LONG_TEXT),
        (
            "session: place",
            lambda d: backoffice.SessionForm(d, certifications=cert.__class__.objects),
            "place",
            limits.SHORT_TEXT,
        ),
        (
            "session: instructions",
            lambda d: backoffice.SessionForm(d, certifications=cert.__class__.objects),
            "instructions",
            limits.LONG_TEXT,
        ),
        (
            "session: notes",
            lambda d: backoffice.SessionForm(d, certifications=cert.__class__.objects),
            "notes",
            limits.LONG_TEXT,
        ),
        (
            "postponement",
            lambda d: backoffice.RescheduleForm(d, sessions=cert.jury_sessions.all()),
            "notice",
            limits.COMMENT,
        ),
        ("cancellation", lambda d: backoffice.NoticeForm(d), "notice", limits.COMMENT),
        ("declared link", lambda d: juries.DeclarationForm(d), "comment", limits.COMMENT),
        ("scoring: appraisal", lambda d: juries.ScoringForm(d, criteria=[]), "comment", limits.NARRATIVE),
        ("decision: observations", lambda d: juries.DecisionForm(d, items=[item]), "comment", limits.LONG_TEXT),
        (
            "decision: justification",
            lambda d: juries.DecisionForm(d, items=[item]),
            f"{item.key}-justification",
            limits.LONG_TEXT,
        ),
        (
            "decision: recommendations",
            lambda d: juries.DecisionForm(d, items=[item]),
            f"{item.key}-recommendations",
            limits.LONG_TEXT,
        ),
        ("revocation", lambda d: juries.RevocationForm(d), "reason", limits.LONG_TEXT),
        ("withdrawal", lambda d: dossiers.WithdrawForm(d), "comment", 2_000),
    ]


def test_every_plain_form_with_a_free_text_refuses_it_past_its_limit():
    for name, build, field, limit in _forms():
        at_limit, over = build({field: text(limit)}), build({field: text(limit + 1)})
        assert field not in at_limit.errors or "caractères" not in str(at_limit.errors[field]), name
        assert field in over.errors and "caractères" in str(over.errors[field]), name


# --- the jury -------------------------------------------------------------------------------


def test_the_jurys_autosave_refuses_an_over_long_remark_clearly_and_keeps_what_was_saved(client):
    from juries.models import CriterionScore
    from tests.juries.helpers import declare_none, four_level_certification, jury_session

    _session, (_president, member), (convocation,) = jury_session(four_level_certification())
    declare_none([member], convocation)
    rubric = convocation.dossier.targeted_blocks().first().rubric
    criterion = rubric.criteria.order_by("order").first()
    url = reverse("jury:score", args=[convocation.pk, rubric.pk])
    client.force_login(member.user)
    saved = client.post(
        url, {"version": 0, "comment": "", f"remark-{criterion.pk}": "Remarque enregistrée"}, **AUTOSAVE
    )
    assert saved.status_code == 200

    response = client.post(
        url, {"version": 1, "comment": "", f"remark-{criterion.pk}": text(limits.REMARK + 1)}, **AUTOSAVE
    )

    assert response.status_code == 400
    message = response.json()["message"]
    assert "Une remarque compte 5001 caractères ; 5000 au plus sont acceptés." in message
    assert "ce qui était déjà enregistré est conservé" in message
    assert CriterionScore.objects.get(criterion=criterion).remark == "Remarque enregistrée"


def test_a_referential_import_is_held_to_the_same_limits():
    from certifications import referential

    document = referential.export_document([make_certification(published=True, blocks=1, competencies=1)])
    document["certifications"][0]["blocks"][0]["competencies"][0]["text"] = text(limits.LONG_TEXT + 1)

    with pytest.raises(referential.ReferentialFormatError, match=r"blocks\[0\]\.competencies\[0\]\.text : 10000"):
        referential.read_document(document)
