import pytest
from django.db.models import ProtectedError  # noqa: F401 - documents that deletion is not the guard

from certifications import services
from certifications.enums import CertificationStatus
from certifications.models import Block, Certification, CertificationEvent, Competency, Rubric
from tests.factories import CertifierFactory, UserFactory, certifier_of, make_certification

pytestmark = pytest.mark.django_db


def test_a_complete_draft_can_be_published_and_the_change_is_logged():
    cert = make_certification()
    actor = UserFactory()

    services.publish(cert, actor=actor)

    cert.refresh_from_db()
    assert cert.status == CertificationStatus.PUBLISHED
    assert cert.published_at is not None
    event = CertificationEvent.objects.get(certification=cert)
    assert (event.from_status, event.to_status, event.actor) == ("draft", "published", actor)


def test_publishing_lists_every_problem_of_an_incomplete_draft():
    cert = make_certification(level=None, rules="")
    empty = Block.objects.create(certification=cert, order=9, title="Bloc vide")

    problems = services.publication_problems(cert)

    messages = [p.message for p in problems]
    assert any("niveau" in m for m in messages)
    assert any("modalités d'obtention" in m for m in messages)
    assert any("n'a aucune compétence" in m and "Bloc vide" in m for m in messages)
    assert any("grille" in m and "Bloc vide" in m for m in messages)
    assert {p.anchor for p in problems} >= {"identity", f"block-{empty.pk}"}
    with pytest.raises(services.CertificationError):
        services.publish(cert)
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.DRAFT


def test_a_certification_requiring_a_transversal_assessment_needs_its_grille():
    cert = make_certification(requires_transversal=True)
    assert any("transversale" in p.message for p in services.publication_problems(cert))


def test_a_published_version_cannot_be_edited_or_published_again():
    cert = make_certification(published=True)

    with pytest.raises(services.CertificationError, match="ne peut plus être modifiée"):
        services.ensure_editable(cert)
    with pytest.raises(services.CertificationError):
        services.publish(cert)


def test_a_new_version_copies_the_whole_tree_into_a_draft_of_the_same_lineage():
    cert = make_certification(published=True, blocks=3, competencies=4)

    draft = services.new_version(cert)

    assert draft.pk != cert.pk
    assert (draft.lineage, draft.version, draft.status) == (cert.lineage, 2, CertificationStatus.DRAFT)
    assert draft.slug == cert.slug and draft.code == cert.code
    assert draft.blocks.count() == 3
    assert Competency.objects.filter(block__certification=draft).count() == 12
    assert Rubric.objects.filter(certification=draft).count() == 3
    assert list(draft.certifiers.all()) == list(cert.certifiers.all())
    criterion = Rubric.objects.get(block__certification=draft, block__order=2).criteria.get(order=3)
    assert list(criterion.competencies.values_list("block__certification", "text")) == [
        (draft.pk, "Compétence 3 du bloc 2")
    ]
    # The original is untouched.
    assert Competency.objects.filter(block__certification=cert).count() == 12


def test_publishing_a_new_version_archives_the_previous_one():
    cert = make_certification(published=True)
    draft = services.new_version(cert)

    services.publish(draft)

    cert.refresh_from_db()
    draft.refresh_from_db()
    assert cert.status == CertificationStatus.ARCHIVED
    assert draft.status == CertificationStatus.PUBLISHED
    assert Certification.objects.filter(lineage=cert.lineage, status="published").count() == 1


def test_only_one_draft_at_a_time_per_certification():
    cert = make_certification(published=True)
    services.new_version(cert)

    with pytest.raises(services.CertificationError, match="brouillon"):
        services.new_version(cert)


def test_a_newcomer_cannot_publish_a_version_that_entered_another_organisations_lineage():
    """A draft created in a lineage for another organisation (an import before the ownership
    check, or ``import_rncp --force``) must not let that organisation archive the owner's version."""
    cert = make_certification(published=True)
    draft = services.new_version(cert)
    newcomer = CertifierFactory()
    draft.certifiers.set([newcomer])
    newcomer_staff = UserFactory()
    newcomer.staff.add(newcomer_staff)

    with pytest.raises(services.CertificationError, match="appartient à un autre certificateur"):
        services.publish(draft, actor=newcomer_staff)

    cert.refresh_from_db()
    draft.refresh_from_db()
    assert cert.status == CertificationStatus.PUBLISHED
    assert draft.status == CertificationStatus.DRAFT


def test_the_lineages_manager_or_an_administrator_may_publish_such_a_version():
    cert = make_certification(published=True)
    draft = services.new_version(cert)
    draft.certifiers.set([CertifierFactory()])

    services.publish(draft, actor=certifier_of(cert))

    draft.refresh_from_db()
    assert draft.status == CertificationStatus.PUBLISHED
    other = services.new_version(draft)
    other.certifiers.set([CertifierFactory()])
    services.publish(other, actor=UserFactory(admin=True))
    other.refresh_from_db()
    assert other.status == CertificationStatus.PUBLISHED
