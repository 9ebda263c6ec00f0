"""The referential editor's services: drafts only, atomic, orders kept dense."""

import pytest

from certifications import services
from certifications.models import Block, Certification, Competency, Rubric
from tests.factories import CertifierFactory, UserFactory, make_certification

pytestmark = pytest.mark.django_db


def orders(qs):
    return list(qs.values_list("order", flat=True))


def texts(block):
    return list(block.competencies.order_by("order").values_list("text", flat=True))


@pytest.fixture
def draft():
    return make_certification(blocks=3, competencies=3)


def test_a_new_draft_gets_a_unique_slug_and_its_certifiers():
    org = CertifierFactory()
    actor = UserFactory()
    first = services.create_draft(actor, [org], "Médiateur numérique", code="RNCP12345", level=5)
    second = services.create_draft(actor, [org], "Médiateur numérique")

    assert first.status == "draft"
    assert first.slug == "rncp12345"
    assert second.slug == "mediateur-numerique"
    assert list(first.certifiers.all()) == [org]
    assert first.events.get().comment == "Création"


def test_a_new_draft_refuses_an_existing_code():
    cert = make_certification(code="RNCP77777")
    with pytest.raises(services.CertificationError, match="nouvelle version"):
        services.create_draft(None, list(cert.certifiers.all()), "Autre", code="RNCP77777")


def test_blocs_are_added_at_the_end_moved_and_deleted_keeping_orders_dense(draft):
    new = services.add_block(draft, title="Bloc ajouté", code="X")
    assert new.order == 4

    services.move_block(new, direction=-1)
    assert list(draft.blocks.order_by("order").values_list("title", flat=True)) == [
        "Bloc 1",
        "Bloc 2",
        "Bloc ajouté",
        "Bloc 3",
    ]
    services.move_block(draft.blocks.get(order=1), direction=-1)  # already first: nothing moves
    services.delete_block(draft.blocks.get(title="Bloc 2"))
    assert orders(draft.blocks.order_by("order")) == [1, 2, 3]
    assert list(draft.blocks.order_by("order").values_list("title", flat=True)) == ["Bloc 1", "Bloc ajouté", "Bloc 3"]


def test_competences_are_added_edited_reordered_and_deleted(draft):
    block = draft.blocks.get(order=1)
    added = services.add_competency(block, text="Animer une réunion", code="C1.4", group="Animer")
    services.update_competency(added, text="Animer une réunion d'équipe", code="C1.4", group="Animer")
    services.move_competency(added, direction=-1)

    assert texts(block) == [
        "Compétence 1 du bloc 1",
        "Compétence 2 du bloc 1",
        "Animer une réunion d'équipe",
        "Compétence 3 du bloc 1",
    ]
    services.delete_competency(block.competencies.get(order=1))
    assert orders(block.competencies.order_by("order")) == [1, 2, 3]


def test_a_competence_moved_to_another_bloc_leaves_its_former_grille(draft):
    source, target = draft.blocks.get(order=1), draft.blocks.get(order=2)
    comp = source.competencies.get(order=1)
    assert source.rubric.criteria.filter(competencies=comp).exists()

    moved = services.move_competency(comp, block=target)

    assert moved.block == target
    assert moved.order == 4
    assert orders(source.competencies.order_by("order")) == [1, 2]
    assert not source.rubric.criteria.filter(competencies=comp).exists()


def test_a_competence_cannot_move_to_a_bloc_of_another_certification(draft):
    other = make_certification(blocks=1).blocks.get()
    with pytest.raises(services.CertificationError, match="n'appartient pas"):
        services.move_competency(draft.blocks.get(order=1).competencies.first(), block=other)


def test_a_group_heading_is_renamed_for_all_its_competences(draft):
    block = draft.blocks.get(order=1)
    block.competencies.update(group="Piloter")
    assert services.rename_group(block, old="Piloter", new="  Piloter un projet ") == 3
    assert set(block.competencies.values_list("group", flat=True)) == {"Piloter un projet"}


def test_a_new_grille_starts_with_three_levels_and_one_criterion_per_competence():
    cert = make_certification(blocks=1, competencies=0)
    block = cert.blocks.get()
    block.rubric.delete()
    for i in range(1, 4):
        Competency.objects.create(block=block, order=i, text=f"C{i}")

    rubric = services.create_rubric(cert, block=block)

    assert [(lvl.label, lvl.points) for lvl in rubric.levels.all()] == [
        ("Non démontré", 0),
        ("Partiellement démontré", 1),
        ("Démontré", 2),
    ]
    assert [list(c.competencies.values_list("text", flat=True)) for c in rubric.criteria.all()] == [
        ["C1"],
        ["C2"],
        ["C3"],
    ]
    with pytest.raises(services.CertificationError, match="existe déjà"):
        services.create_rubric(cert, block=block)


def test_criteria_and_levels_are_edited_through_the_services(draft):
    rubric = draft.blocks.get(order=1).rubric
    comps = list(draft.blocks.get(order=1).competencies.all()[:2])
    criterion = services.add_criterion(rubric, text="Clarté du récit", weight=2, competencies=comps)
    services.update_criterion(criterion, text="Clarté", weight=3, competencies=comps[:1])
    services.move_criterion(criterion, direction=-1)
    level = services.add_level(rubric, label="Excellent", points=4)
    services.update_level(level, label="Remarquable", points=5)
    services.move_level(level, direction=-1)
    services.update_rubric(rubric, title="Grille", pass_threshold_percent=60, no_minimum_level=True, pass_rule="60 %")

    rubric.refresh_from_db()
    criterion.refresh_from_db()
    assert (criterion.text, criterion.weight, criterion.order) == ("Clarté", 3, 3)
    assert list(criterion.competencies.all()) == comps[:1]
    assert list(rubric.levels.values_list("label", flat=True)) == ["Non démontré", "Remarquable", "Démontré"]
    assert (rubric.pass_threshold_percent, rubric.no_minimum_level) == (60, True)
    services.delete_criterion(criterion)
    services.delete_level(level)
    assert orders(rubric.criteria.all()) == [1, 2, 3]
    assert orders(rubric.levels.all()) == [1, 2]


def test_a_criterion_cannot_assess_a_competence_of_another_certification(draft):
    foreign = make_certification(blocks=1).blocks.get().competencies.first()
    with pytest.raises(services.CertificationError, match="n'appartient pas"):
        services.add_criterion(draft.blocks.first().rubric, text="X", competencies=[foreign])


def test_a_pass_threshold_above_100_is_refused(draft):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.update_rubric(draft.blocks.first().rubric, pass_threshold_percent=120)


def test_modalites_for_a_bloc_or_transversal(draft):
    block = draft.blocks.first()
    method = services.add_assessment_method(draft, block=block, kind="oral_exam", title="Entretien")
    transversal = services.add_assessment_method(draft, kind="professional_thesis", title="Mémoire")
    services.update_assessment_method(transversal, kind="professional_thesis", title="Mémoire final")
    rubric = services.create_rubric(draft, method=transversal)

    assert method.order == 2
    assert transversal.is_transversal
    assert rubric.criteria.count() == 0
    with pytest.raises(services.CertificationError, match="Seule une épreuve transversale"):
        services.create_rubric(draft, method=method)
    services.delete_assessment_method(method)
    assert not draft.assessment_methods.filter(pk=method.pk).exists()


def test_an_update_changes_the_fields_given_and_keeps_the_others(draft):
    rubric = draft.blocks.first().rubric
    level = rubric.levels.get(order=2)
    criterion = rubric.criteria.first()
    linked = list(criterion.competencies.all())
    criterion.weight = 2
    criterion.save()

    services.update_level(level, label="Acquis")
    services.update_criterion(criterion, text="Reformulé")

    level.refresh_from_db()
    criterion.refresh_from_db()
    assert (level.label, level.points) == ("Acquis", 2)
    assert (criterion.text, criterion.weight) == ("Reformulé", 2)
    assert list(criterion.competencies.all()) == linked


def test_deleting_a_modalite_closes_ranks_among_those_of_its_bloc(draft):
    block = draft.blocks.first()
    first = block.assessment_methods.get()
    services.add_assessment_method(draft, block=block, kind="oral_exam")
    services.add_assessment_method(draft, kind="professional_thesis")  # transversal: its own ranks

    services.delete_assessment_method(first)

    assert orders(block.assessment_methods.order_by("order")) == [1]
    assert orders(draft.assessment_methods.filter(block=None)) == [1]


def test_a_modalite_cannot_go_to_a_bloc_of_another_certification(draft):
    other = make_certification(blocks=1).blocks.get()
    with pytest.raises(services.CertificationError, match="n'appartient pas"):
        services.add_assessment_method(draft, block=other, kind="other")
    assert not other.assessment_methods.filter(kind="other").exists()


def test_an_unknown_field_is_a_programming_error_not_a_silent_write(draft):
    with pytest.raises(ValueError, match="(?i)unexpected fields"):
        services.add_block(draft, title="X", order=1)
    with pytest.raises(ValueError, match="(?i)unexpected fields"):
        services.update_assessment_method(draft.assessment_methods.first(), block=None)


def test_identity_is_validated_and_the_code_stays_unique_across_lineages(draft):
    make_certification(code="RNCP55555")
    with pytest.raises(services.CertificationError, match="autre certification"):
        services.update_certification(draft, code="RNCP55555")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.update_certification(draft, level=12)
    with pytest.raises(ValidationError):
        services.update_certification(draft, jury_rule={"roles": {"judge": 1}})
    services.update_certification(draft, title="Nouveau titre", jury_rule={"min_members": 3})
    draft.refresh_from_db()
    assert (draft.title, draft.jury_rule) == ("Nouveau titre", {"min_members": 3})


EDITS = [
    lambda c: services.update_certification(c, title="X"),
    lambda c: services.add_block(c, title="X"),
    lambda c: services.update_block(c.blocks.first(), title="X"),
    lambda c: services.delete_block(c.blocks.first()),
    lambda c: services.move_block(c.blocks.first(), direction=1),
    lambda c: services.add_competency(c.blocks.first(), text="X"),
    lambda c: services.update_competency(c.blocks.first().competencies.first(), text="X"),
    lambda c: services.delete_competency(c.blocks.first().competencies.first()),
    lambda c: services.move_competency(c.blocks.first().competencies.first(), block=c.blocks.last()),
    lambda c: services.rename_group(c.blocks.first(), old="", new="X"),
    lambda c: services.add_assessment_method(c, kind="other"),
    lambda c: services.update_assessment_method(c.assessment_methods.first(), title="X"),
    lambda c: services.delete_assessment_method(c.assessment_methods.first()),
    lambda c: services.update_rubric(c.blocks.first().rubric, title="X"),
    lambda c: services.delete_rubric(c.blocks.first().rubric),
    lambda c: services.add_criterion(c.blocks.first().rubric, text="X"),
    lambda c: services.update_criterion(c.blocks.first().rubric.criteria.first(), text="X"),
    lambda c: services.delete_criterion(c.blocks.first().rubric.criteria.first()),
    lambda c: services.move_criterion(c.blocks.first().rubric.criteria.first(), direction=1),
    lambda c: services.add_level(c.blocks.first().rubric, label="X"),
    lambda c: services.update_level(c.blocks.first().rubric.levels.first(), label="X"),
    lambda c: services.delete_level(c.blocks.first().rubric.levels.first()),
    lambda c: services.move_level(c.blocks.first().rubric.levels.first(), direction=1),
    lambda c: services.delete_draft(c),
]


@pytest.mark.parametrize("edit", EDITS)
def test_a_published_version_is_immutable_through_every_editing_service(edit):
    cert = make_certification(published=True)
    before = services.referential.export_certification(cert)

    with pytest.raises(services.CertificationError, match="ne peut plus être modifiée"):
        edit(cert)

    assert services.referential.export_certification(Certification.objects.get(pk=cert.pk)) == before


def test_publication_lists_grilles_without_criteria_or_with_a_single_level(draft):
    rubric = draft.blocks.get(order=1).rubric
    rubric.criteria.all().delete()
    rubric.levels.first().delete()

    problems = services.publication_problems(draft)
    block = f"{draft.code}BC01 Bloc 1"

    assert [(p.message, p.anchor) for p in problems] == [
        (f"La grille de « {block} » n'a aucun critère.", f"rubric-{rubric.pk}"),
        (
            f"La grille de « {block} » doit avoir au moins deux niveaux.",
            f"rubric-{rubric.pk}",
        ),
    ]


def test_a_draft_without_dossiers_can_be_deleted(draft):
    services.delete_draft(draft)
    assert not Certification.objects.filter(pk=draft.pk).exists()
    assert not Block.objects.filter(certification_id=draft.pk).exists()
    assert not Rubric.objects.filter(certification_id=draft.pk).exists()
