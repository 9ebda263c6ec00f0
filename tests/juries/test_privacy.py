"""The jury's records and the candidate's personal data (privacy)."""

import pytest

from documents import services as documents
from juries import queries
from juries.enums import JuryDocumentKind, JuryResult
from juries.models import Decision, JuryDocument
from privacy import erasure
from privacy.export import export_data
from tests.juries.helpers import decided, jury_session, sign_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided_dossier():
    session, members, (conv,) = jury_session()
    decided(session, members, conv, validated={i.key: i.block.order == 1 for i in queries.assessed_items(conv.dossier)})
    return session, members, conv


def test_the_export_holds_the_result_once_the_minutes_are_final(decided_dossier):
    session, members, conv = decided_dossier
    candidate = conv.dossier.candidate
    (dossier,) = export_data(candidate)["dossiers"]
    assert dossier["jury_decisions"] == []  # not before the procès-verbal
    sign_all(session, members)
    (dossier,) = export_data(candidate)["dossiers"]
    (decision,) = dossier["jury_decisions"]
    assert decision["result"] == JuryResult.PARTIAL_SUCCESS_OF_FULL_CERTIFICATION
    assert [b["validated"] for b in decision["blocks"]] == [True, False]
    assert {d["kind"] for d in decision["documents"]} == {
        JuryDocumentKind.DECISION_LETTER,
        JuryDocumentKind.ATTESTATION,
    }
    assert "Excellent" not in str(decision)  # no scoring


def test_deleting_the_account_keeps_the_decision_and_deletes_the_letters_naming_the_candidate(decided_dossier):
    session, members, conv = decided_dossier
    sign_all(session, members)
    for document in JuryDocument.objects.all():
        documents.run(document.pk)
    candidate = conv.dossier.candidate
    report = erasure.delete_account(candidate)
    assert report.kept and not report.deleted
    assert Decision.objects.filter(dossier=conv.dossier).exists()
    assert list(JuryDocument.objects.values_list("kind", flat=True)) == [JuryDocumentKind.MINUTES]
