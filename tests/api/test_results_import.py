"""PUT /sessionsJury/{id}/resultats: the results of a jury that deliberated outside the portal."""

from __future__ import annotations

import json

import pytest

from api.models import ImportedResult
from audit.models import AuditEvent
from dossiers.enums import DossierStatus as S
from juries.enums import Attendance, JuryResult
from juries.models import Decision
from tests.api.conftest import bearer
from tests.factories import make_certification
from tests.juries.helpers import decided, jury_session, sign_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(db):
    """A session held today, two candidates convoked, nobody decided yet."""
    cert = make_certification(published=True, blocks=2, competencies=1)
    session, members, convocations = jury_session(cert, candidates=2)
    return cert, session, members, convocations


def put(client, session, body, secret):
    return client.put(
        f"/api/v1/sessionsJury/{session.pk}/resultats",
        data=json.dumps(body),
        content_type="application/json",
        **bearer(secret),
    )


def lines(cert, convocations, acquired=(True, False)):
    b1, b2 = cert.blocks.order_by("order")
    first, second = convocations
    return [
        {
            "candidature": first.dossier_id,
            "blocs": [
                {"bloc": b1.pk, "resultat": "ACQUIS" if acquired[0] else "NON_ACQUIS"},
                {"bloc": b2.pk, "resultat": "ACQUIS" if acquired[1] else "NON_ACQUIS"},
            ],
            "commentaire": "Délibéré en commission le matin.",
        },
        {"candidature": second.dossier_id, "presence": "absent"},
    ]


def test_results_imported_by_a_token_are_recorded_as_imported_and_the_dossiers_decided(held, client, token_for):
    cert, session, _members, convocations = held
    secret = token_for(cert.certifiers.first(), name="SI jury")

    response = put(client, session, lines(cert, convocations), secret)

    assert response.status_code == 200, response.content
    body = response.json()
    assert [r["resultat"] for r in body] == [
        JuryResult.PARTIAL_SUCCESS_OF_FULL_CERTIFICATION,
        JuryResult.CANDIDATE_ABSENT,
    ]
    assert body[0]["importePar"] == "SI jury"
    assert [b["valide"] for b in body[0]["blocs"]] == [True, False]
    imported = ImportedResult.objects.select_related("decision", "token").order_by("pk")
    assert [i.decision.dossier_id for i in imported] == [c.dossier_id for c in convocations]
    assert all(i.token.name == "SI jury" and i.decision.decided_by == i.token.user for i in imported)
    for conv in convocations:
        conv.refresh_from_db()
        conv.dossier.refresh_from_db()
        assert conv.dossier.status == S.DECIDED
    assert [c.attendance for c in convocations] == [Attendance.PRESENT, Attendance.ABSENT]
    assert AuditEvent.objects.filter(action="api.results_imported").count() == 2


def test_importing_again_replaces_the_earlier_import_and_keeps_it_as_history(held, client, token_for):
    cert, session, _members, convocations = held
    secret = token_for(cert.certifiers.first())
    put(client, session, lines(cert, convocations), secret)

    response = put(client, session, lines(cert, convocations, acquired=(True, True))[:1], secret)

    assert response.status_code == 200, response.content
    first = convocations[0]
    assert Decision.objects.filter(convocation=first).count() == 2
    in_force = Decision.objects.in_force().get(convocation=first)
    assert in_force.result == JuryResult.FULL_SUCCESS_OF_FULL_CERTIFICATION
    assert Decision.objects.get(convocation=first, revoked_at__isnull=False).revocation_reason


def test_a_bad_line_saves_nothing(held, client, token_for):
    cert, session, _members, convocations = held
    body = lines(cert, convocations)
    body[1] = {"candidature": body[1]["candidature"], "blocs": [{"bloc": cert.blocks.first().pk, "resultat": "ACQUIS"}]}

    response = put(client, session, body, token_for(cert.certifiers.first()))

    assert response.status_code == 409
    assert "Ligne 2" in response.json()["detail"] and "chaque bloc" in response.json()["detail"]
    assert Decision.objects.count() == 0
    for conv in convocations:
        conv.dossier.refresh_from_db()
        assert conv.dossier.status == S.SCHEDULED


def test_a_session_whose_jury_decided_in_the_portal_is_refused(held, client, token_for):
    cert, session, members, convocations = held
    decided(session, members, convocations[0])

    response = put(client, session, lines(cert, convocations)[1:], token_for(cert.certifiers.first()))

    assert response.status_code == 409
    assert "dans le portail" in response.json()["detail"]
    assert not ImportedResult.objects.exists()


def test_a_final_proces_verbal_is_refused(held, client, token_for):
    cert, session, members, convocations = held
    for conv in convocations:
        decided(session, members, conv)
    sign_all(session, members)

    response = put(client, session, lines(cert, convocations), token_for(cert.certifiers.first()))

    assert response.status_code == 409
    assert "définitif" in response.json()["detail"]


def test_a_candidate_not_convoked_to_the_session_is_refused(held, client, token_for):
    cert, session, _members, convocations = held
    other_session, _m, (elsewhere,) = jury_session(cert, candidates=1)

    response = put(
        client,
        session,
        [{"candidature": elsewhere.dossier_id, "presence": "excused"}],
        token_for(cert.certifiers.first()),
    )

    assert response.status_code == 409
    assert "aucune convocation" in response.json()["detail"]
