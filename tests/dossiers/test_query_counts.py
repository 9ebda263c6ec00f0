"""The bloc and compétence pages cost a fixed number of queries, whatever the data."""

import pytest
from django.urls import reverse

from dossiers import services
from dossiers.enums import DossierStatus as S
from tests.factories import dossier_in_state, make_certification, pdf_upload

pytestmark = pytest.mark.django_db
MAX_QUERIES = 17  # includes the 3 of the sliding session's write, 1 for the PDFs,
# 1 for the accompaniment (or comments) of the dossier


def _dossier(competencies: int, proofs: int):
    dossier = dossier_in_state(
        S.ADMISSIBLE, certification=make_certification(published=True, blocks=1, competencies=competencies)
    )
    statements = list(dossier.statements.all())
    for i in range(proofs):
        proof = services.add_proof(dossier, pdf_upload(f"p{i}.pdf"), title=f"Preuve {i}", kind="other")
        for s in statements:
            s.proofs.add(proof)
    return dossier


def _count(client, django_assert_max_num_queries, url) -> int:
    with django_assert_max_num_queries(MAX_QUERIES) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "page", ["block", "competency", "proofs", "detail", "submit_validation", "positioning", "experiences"]
)
def test_candidate_pages_do_not_grow_with_competences_or_proofs(client, django_assert_max_num_queries, page):
    counts = []
    for competencies, proofs in [(1, 1), (12, 6)]:
        dossier = _dossier(competencies, proofs)
        client.force_login(dossier.candidate)
        statement = dossier.statements.select_related("competency").first()
        args = {
            "block": [dossier.pk, statement.competency.block_id],
            "competency": [dossier.pk, statement.competency_id],
        }.get(page, [dossier.pk])
        counts.append(_count(client, django_assert_max_num_queries, reverse(f"dossiers:{page}", args=args)))
    assert counts[0] == counts[1]


def test_mes_dossiers_does_not_grow_with_dossiers(client, django_assert_max_num_queries):
    one = dossier_in_state(S.ADMISSIBLE)
    client.force_login(one.candidate)
    small = _count(client, django_assert_max_num_queries, reverse("dossiers:list"))
    for state in (S.DRAFT, S.FEASIBILITY_INCOMPLETE):
        dossier_in_state(state, candidate=one.candidate)
    assert _count(client, django_assert_max_num_queries, reverse("dossiers:list")) == small
