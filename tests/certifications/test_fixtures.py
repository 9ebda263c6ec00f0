"""The five reference certifications carry the seed texts faithfully (../shared/seeds/)."""

import pytest

from certifications.models import Certification, Competency, Rubric

pytestmark = pytest.mark.django_db


def _counts(cert):
    return [b.competencies.count() for b in cert.blocks.order_by("order")]


def test_five_published_certifications_are_loaded(reference_certifications):
    assert reference_certifications.count() == 5
    assert set(reference_certifications.values_list("status", flat=True)) == {"published"}


def test_rncp35203_has_its_three_blocs_of_7_10_and_8_competences(reference_certifications):
    cert = Certification.objects.get(code="RNCP35203")
    assert list(cert.blocks.values_list("code", flat=True)) == [
        "RNCP35203BC01",
        "RNCP35203BC02",
        "RNCP35203BC03",
    ]
    assert _counts(cert) == [7, 10, 8]
    assert cert.level == 6
    assert cert.end_of_registration.isoformat() == "2026-01-20"
    assert cert.replaces_code == "RNCP28157"
    assert [(c.commercial_name, c.siret) for c in cert.certifiers.all()] == [("APTIM", "33138377800031")]


def test_rncp41296_has_its_four_blocs_of_6_6_10_and_5_competences(reference_certifications):
    cert = Certification.objects.get(code="RNCP41296")
    assert _counts(cert) == [6, 6, 10, 5]
    assert cert.level == 7
    assert cert.end_of_registration.isoformat() == "2028-09-24"
    assert cert.certifiers.get().siret == "32949147600019"


def test_the_004_referential_keeps_its_domains_groups_and_repeated_codes(reference_certifications):
    cert = Certification.objects.get(slug="coordinateur-operationnel-etablissements-educatifs")
    assert cert.code == ""
    assert cert.blocks.count() == 4
    assert len(set(cert.blocks.values_list("domain", flat=True))) == 2
    comps = Competency.objects.filter(block__certification=cert)
    assert comps.count() == 63
    repeated = comps.filter(block__order=1, code="C1-2.6")
    assert repeated.count() == 2
    assert len(set(repeated.values_list("group", flat=True))) == 2
    assert all(comps.exclude(group="").values_list("group", flat=True))
    assert cert.requires_transversal
    # The training route's épreuve finale, and what the VAE route asks instead (inferred grille).
    training = cert.assessment_methods.get(block__isnull=True, access_routes="training")
    vae = cert.assessment_methods.get(block__isnull=True, access_routes="vae")
    assert training.rubric.criteria.exists() and vae.rubric.criteria.count() == 4
    assert "mobiliser de manière coordonnée les compétences" in training.vae_requirement


def test_certifications_without_an_official_bloc_structure_say_so_in_their_notes(reference_certifications):
    cpsl = Certification.objects.get(slug="charge-projets-solidaires-locaux-cpsl")
    ifaid = Certification.objects.get(slug="coordonnateur-projet-solidarites")
    assert _counts(ifaid) == [25]
    assert sum(_counts(cpsl)) == 6
    assert set(Competency.objects.filter(block__certification__in=[cpsl, ifaid]).values_list("code", flat=True)) == {""}
    for cert in (cpsl, ifaid):
        assert "non officiel" in cert.notes
        assert set(cert.blocks.values_list("code", flat=True)) == {""}


def test_every_bloc_has_a_grille_with_four_levels_and_a_written_pass_rule(reference_certifications):
    for rubric in Rubric.objects.filter(block__isnull=False):
        assert list(rubric.levels.values_list("points", flat=True)) == [0, 1, 2, 3]
        assert rubric.criteria.exists()
        assert rubric.pass_rule
    assert Rubric.objects.filter(block__isnull=False).count() == 14
