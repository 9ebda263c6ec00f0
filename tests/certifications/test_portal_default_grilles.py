"""The grilles the portal proposes because the referential's text publishes none (seeds 000 to
003) are marked so, and everyone who reads them is told; a certifier can still make them theirs."""

import pytest
from django.urls import reverse

from certifications import services
from certifications.models import Certification, Rubric
from certifications.referential import export_document
from tests.factories import certifier_of

pytestmark = pytest.mark.django_db

NOTE = "cette grille, ses niveaux et sa règle de réussite sont proposés par le portail"


def test_only_the_grilles_of_texts_that_publish_none_are_the_portals(reference_certifications):
    portal = Rubric.objects.filter(is_portal_default=True)

    assert set(portal.values_list("certification__slug", flat=True)) == {
        "coordonnateur-projet-solidarites",
        "rncp35203-coordinateur-projets-alternatifs-solidaires",
        "charge-projets-solidaires-locaux-cpsl",
        "rncp41296-manager-organisation-solidarite",
    }
    assert not Rubric.objects.filter(certification__slug="coordinateur-operationnel-etablissements-educatifs").filter(
        is_portal_default=True
    )
    assert {r.title for r in portal.exclude(certification__code="RNCP35203")} == {
        "Grille proposée par le portail (le référentiel de certification n’en publie pas)"
    }
    assert all(r.pass_rule.startswith("Règle proposée par le portail : ") for r in portal)
    assert not Rubric.objects.filter(title__startswith="Grille critériée")


def test_the_public_page_says_whose_grille_it_is(client, reference_certifications):
    portal = Certification.objects.get(code="RNCP41296")
    own = Certification.objects.get(slug="coordinateur-operationnel-etablissements-educatifs")

    assert NOTE in client.get(portal.get_absolute_url()).content.decode()
    assert NOTE not in client.get(own.get_absolute_url()).content.decode()


def test_the_mark_survives_an_export_and_a_new_version(reference_certifications):
    cert = Certification.objects.get(code="RNCP41296")

    exported = export_document(Certification.objects.filter(pk=cert.pk))
    draft = services.new_version(cert)

    assert {b["rubric"]["portal_default"] for b in exported["certifications"][0]["blocks"]} == {True}
    assert set(draft.rubrics.values_list("is_portal_default", flat=True)) == {True}


def test_a_certifier_makes_the_grille_theirs_by_editing_it_as_before(client, reference_certifications):
    draft = services.new_version(Certification.objects.get(code="RNCP41296"))
    rubric = draft.blocks.get(order=1).rubric
    client.force_login(certifier_of(draft))
    url = reverse("backoffice:rubric", args=[rubric.pk])
    assert "grille proposée par le portail" in client.get(url).content.decode().lower()

    response = client.post(
        url,
        {"title": "Grille du certificateur", "pass_threshold_percent": 60, "pass_rule": "60 % des points"},
    )

    assert response.status_code == 302
    rubric.refresh_from_db()
    assert (rubric.title, rubric.pass_threshold_percent, rubric.is_portal_default) == (
        "Grille du certificateur",
        60,
        False,
    )
