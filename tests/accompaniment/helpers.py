"""Organisations, their staff and accompanied dossiers, through the services."""

from __future__ import annotations

import itertools

from accompaniment import services
from accompaniment.models import Organisation, StaffMember
from tests.factories import UserFactory

_siret = itertools.count(1)


def make_organisation(*certifications, postcode: str = "75011", remote: bool = False, **fields) -> Organisation:
    org = Organisation.objects.create(
        name=fields.pop("name", f"Organisme d'accompagnement {next(_siret)}"),
        siret=fields.pop("siret", f"9{next(_siret):013d}"),
        postcode=postcode,
        city=fields.pop("city", "Paris"),
        contact_email=fields.pop("contact_email", "contact@aap.example.org"),
        remote=remote,
        **fields,
    )
    org.certifications.add(*certifications)
    return org


def staff_of(organisation: Organisation, *, manager: bool = False, **user_fields):
    """An active account, staff of ``organisation``."""
    user = UserFactory(**user_fields)
    StaffMember.objects.create(organisation=organisation, user=user, is_manager=manager)
    return user


def accompany(dossier, organisation: Organisation, staff_user):
    """The candidate chooses ``organisation``, whose ``staff_user`` accepts."""
    accompaniment = services.choose(dossier, organisation, dossier.candidate)
    return services.accept(accompaniment, staff_user)


OPINION = {
    "verdict": "favorable",
    "comment": "Expérience en lien direct avec la certification.",
    "recommendations": "Approfondir le bloc 2.",
    "individual_hours": 12,
    "collective_hours": 6,
    "training_hours": 0,
    "mandatory_training": "",
    "basic_skills": "",
}
