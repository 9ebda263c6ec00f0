"""The direct builder (dossier_built_in_state) leaves the rows the services leave."""

import pytest

from tests.factories import _DIRECT_PATHS, dossier_built_in_state, dossier_in_state, make_certification

pytestmark = pytest.mark.django_db


def rows(dossier):
    return {
        "status": dossier.status,
        "feasibility_submitted": dossier.feasibility_submitted_at is not None,
        "validation_submitted": dossier.validation_submitted_at is not None,
        "transitions": [
            (t.from_status, t.to_status, t.actor == dossier.candidate, t.comment)
            for t in dossier.transitions.order_by("pk")
        ],
        "snapshots": sorted((s.kind, s.number, s.created_by == dossier.candidate) for s in dossier.snapshots.all()),
        "documents": sorted(dossier.documents.values_list("kind", "status")),
        "experiences": dossier.experiences.count(),
        "proofs": dossier.proofs.count(),
        "narratives": sorted(dossier.statements.values_list("narrative", "self_assessment", "version")),
    }


@pytest.mark.parametrize("state", list(_DIRECT_PATHS))
def test_a_dossier_built_in_a_state_has_the_rows_the_services_leave_there(state):
    certification = make_certification(published=True)
    walked = dossier_in_state(state, certification=certification)
    built = dossier_built_in_state(state, certification=certification)
    assert rows(built) == rows(walked)
