"""The jury composition rule travels with the referential (export, import, new version)."""

import pytest

from certifications import services
from certifications.models import Certification
from certifications.referential import ReferentialFormatError, export_document, import_document
from tests.factories import make_certification

pytestmark = pytest.mark.django_db

RULE = {"min_members": 3, "roles": {"professional": 2, "certifier_representative": 1}, "external_professionals": 2}


def test_the_reference_certifications_carry_the_rule_of_their_fiche(reference_certifications):
    assert Certification.objects.get(code="RNCP41296").jury_rule == RULE
    assert Certification.objects.get(code="RNCP35203").jury_rule["roles"]["president"] == 1


def test_the_rule_is_exported_imported_and_copied_into_a_new_version():
    cert = make_certification(published=True, jury_rule=RULE)
    document = export_document([cert])
    assert document["certifications"][0]["jury_rule"] == RULE

    draft = services.new_version(cert)
    assert draft.jury_rule == RULE
    draft.delete()
    (imported,) = import_document(document)
    assert imported.jury_rule == RULE


def test_a_malformed_rule_refuses_the_whole_document_naming_the_place():
    document = export_document([make_certification(code="RNCP66666")])
    document["certifications"][0]["jury_rule"] = {"roles": {"juge": 1}}
    with pytest.raises(ReferentialFormatError, match=r"certifications\[0\]\.jury_rule\.roles : rôle inconnu 'juge'"):
        import_document(document)
    assert Certification.objects.filter(code="RNCP66666").count() == 1
