"""The dossier de faisabilité's lists in the referential: regulatory prerequisites, options,
foreign languages, parcours (docs/recevabilite.md), edited on a draft and carried by the
exchange format and by a new version."""

import pytest
from django.urls import reverse

from certifications import services
from certifications.referential import ReferentialFormatError, export_document, import_document
from tests.factories import UserFactory, make_certification

pytestmark = pytest.mark.django_db

LISTS = {
    "regulatory_prerequisites": ["Attestation de formation aux gestes et soins d'urgence de niveau 2"],
    "options": ["Option A", "Option B"],
    "foreign_languages": ["Anglais"],
    "parcours": ["Parcours collectivités territoriales"],
}


def _published_with_lists():
    cert = make_certification()
    services.update_certification(cert, **LISTS)
    return services.publish(cert)


def test_the_lists_go_through_the_exchange_format():
    (imported,) = import_document(export_document([_published_with_lists()]))

    assert {name: getattr(imported, name) for name in LISTS} == LISTS


def test_a_new_version_keeps_the_lists():
    draft = services.new_version(_published_with_lists())

    assert {name: getattr(draft, name) for name in LISTS} == LISTS


def test_a_list_that_is_not_a_list_of_texts_is_refused():
    doc = export_document([make_certification()])
    doc["certifications"][0]["regulatory_prerequisites"] = [1, 2]

    with pytest.raises(ReferentialFormatError) as refusal:
        import_document(doc)

    assert "une liste de textes est attendue" in str(refusal.value)


def test_the_certifier_edits_the_lists_one_item_a_line(client):
    cert = make_certification()
    staff = UserFactory()
    cert.certifiers.first().staff.add(staff)
    client.force_login(staff)
    url = reverse("backoffice:referential_identity", args=[cert.pk])
    data = {
        name: value
        for name, value in client.get(url).context["form"].initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        {
            "code": cert.code,
            "title": cert.title,
            "level": cert.level or 6,
            "min_narrative_length": cert.min_narrative_length,
            "list_regulatory_prerequisites": "AFGSU 2\n\n  Permis B  \n",
            "list_options": "Option A",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    cert.refresh_from_db()
    assert cert.regulatory_prerequisites == ["AFGSU 2", "Permis B"]
    assert cert.options == ["Option A"] and cert.parcours == []
