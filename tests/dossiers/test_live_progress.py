"""The counters and « Et maintenant ? » of the candidate's pages follow their work (the fragment
htmx asks again after each autosave), and the compétence page says how the jury will judge it."""

import pytest
from django.urls import reverse

from certifications.models import Rubric, RubricCriterion
from dossiers import services
from dossiers.enums import DossierStatus as S
from tests.factories import NARRATIVE, UserFactory, dossier_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier():
    return dossier_in_state(S.ADMISSIBLE)


def _statements(dossier):
    statements = dossier.statements.select_related("competency")
    return list(statements.order_by("competency__block__order", "competency__order"))


def _complete(statement):
    """A narrative long enough, drawing on the dossier's experience."""
    services.save_statement(
        statement,
        statement.version,
        {"narrative": NARRATIVE},
        experiences=list(statement.dossier.experiences.all()),
        actor=statement.dossier.candidate,
    )


def _fragment(client, dossier, **params):
    return client.get(reverse("dossiers:live_progress", args=[dossier.pk]), params)


def test_the_fragment_answers_the_dossiers_candidate_and_no_one_else(client, dossier):
    first = _statements(dossier)[0]
    client.force_login(dossier.candidate)
    assert _fragment(client, dossier, competence=first.competency_id).status_code == 200
    assert _fragment(client, dossier, bloc=first.competency.block_id).status_code == 200
    assert _fragment(client, dossier).status_code == 200

    client.force_login(UserFactory())

    assert _fragment(client, dossier, competence=first.competency_id).status_code == 404
    assert _fragment(client, dossier).status_code == 404


def test_a_compétence_of_another_dossier_is_not_found(client, dossier):
    other = _statements(dossier_in_state(S.ADMISSIBLE))[0]
    client.force_login(dossier.candidate)

    assert _fragment(client, dossier, competence=other.competency_id).status_code == 404
    assert _fragment(client, dossier, bloc=other.competency.block_id).status_code == 404


def test_the_counters_change_once_a_narrative_is_saved(client, dossier):
    first = _statements(dossier)[0]
    client.force_login(dossier.candidate)
    before = _fragment(client, dossier, competence=first.competency_id).content.decode()
    assert "0 compétences complètes sur 3" in before or "0 compétence complète sur 3" in before
    assert "Complétez cette compétence" in before

    _complete(first)

    after = _fragment(client, dossier, competence=first.competency_id).content.decode()
    assert "1 compétence complète sur 3" in after
    assert "Récits rédigés (au moins 300 caractères) : 1 sur 3" in after
    assert "Cette compétence est complète. Il reste 5 compétences à compléter." in after
    second = _statements(dossier)[1]
    assert reverse("dossiers:competency", args=[dossier.pk, second.competency_id]) in after


def test_et_maintenant_asks_to_submit_once_every_compétence_is_complete(client, dossier):
    for statement in _statements(dossier):
        _complete(statement)
    client.force_login(dossier.candidate)

    page = _fragment(client, dossier).content.decode()

    assert "Toutes vos compétences sont complètes" in page
    assert reverse("dossiers:submit_validation", args=[dossier.pk]) in page


@pytest.mark.parametrize("page", ["detail", "block", "competency"])
def test_the_dossier_pages_hold_a_live_region_refreshed_after_each_save(client, dossier, page):
    first = _statements(dossier)[0]
    args = {"block": [dossier.pk, first.competency.block_id], "competency": [dossier.pk, first.competency_id]}
    client.force_login(dossier.candidate)

    html = client.get(reverse(f"dossiers:{page}", args=args.get(page, [dossier.pk]))).content.decode()

    assert 'id="dossier-live" class="dossier-live mb-3" aria-live="polite"' in html
    assert 'data-hx-trigger="dossier:saved from:body"' in html
    assert reverse("dossiers:live_progress", args=[dossier.pk]) in html
    assert "Et maintenant ?" in html


def test_the_compétence_page_says_how_the_jury_will_judge_it(client, dossier):
    first, second = _statements(dossier)[:2]
    rubric = Rubric.objects.get(block=first.competency.block)
    RubricCriterion.objects.filter(rubric=rubric, competencies=first.competency).update(weight=2)
    client.force_login(dossier.candidate)

    html = client.get(reverse("dossiers:competency", args=[dossier.pk, first.competency_id])).content.decode()

    assert "Comment le jury évaluera cette compétence" in html
    assert "Mise en situation" in html  # the bloc's modalité
    assert "Les critères qui portent sur cette compétence" in html
    assert f"<li>{first.competency.text} <span" in html and "pondération 2" in html
    assert f"<li>{second.competency.text}" not in html  # another compétence's criterion
    assert "Non démontré — 0 point" in html and "Démontré — 2 points" in html
    assert "Le bloc est validé lorsque le score pondéré atteint 50 % du maximum." in html
    assert "proposés par le portail" not in html


def test_a_grille_of_the_portal_is_said_to_be_so_beside_the_compétence(client, dossier):
    first = _statements(dossier)[0]
    Rubric.objects.filter(block=first.competency.block).update(is_portal_default=True)
    client.force_login(dossier.candidate)

    html = client.get(reverse("dossiers:competency", args=[dossier.pk, first.competency_id])).content.decode()

    assert "cette grille, ses niveaux et sa règle de réussite sont proposés par le portail" in html
