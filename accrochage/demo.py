"""Demo of the declaration to the Caisse des Dépôts (idempotent): Askoria gets CDC identifiers,
candidat10 (whole certification in ``juries.demo``) gives their identity, and one flux is built
(here and now, no worker needed). Run after ``juries.demo.seed()``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import User
from accrochage import flux as flux_builder
from accrochage import services
from accrochage.errors import CdcError
from accrochage.models import CdcAccount, Flux
from certifications.models import Certifier
from dossiers.models import CivilIdentity, Dossier

CERTIFIER = "certif.askoria@vae.example"
HOLDER = "candidat10@vae.example"
IDENTITY = {
    "birth_name": "Lambert",
    "usage_name": "",
    "first_name1": "Quentin",
    "first_name2": "Paul",
    "first_name3": "",
    "sex": "M",
    "birth_date": dt.date(1984, 9, 3),
    "born_in_france": True,
    "birth_insee_code": "35238",
    "birth_postcode": "",
    "birth_city": "Rennes",
    "birth_country_code": "FRA",
}


BIRTH_PLACE = ("born_in_france", "birth_insee_code", "birth_postcode", "birth_city", "birth_country_code")


def seed() -> list[tuple[str, str]]:
    org = Certifier.objects.filter(legal_name__icontains="Askoria").first()
    actor = User.objects.filter(email=CERTIFIER).first()
    if org is None or actor is None:
        return []
    if not CdcAccount.objects.filter(organisation=org).exists():
        services.save_account(org, "03ASK001", "MCFCER000001", actor)
    dossier = Dossier.objects.filter(candidate__email=HOLDER, jury_decisions__isnull=False).first()
    identity = CivilIdentity.objects.filter(dossier=dossier).first() if dossier is not None else None
    if dossier is not None and identity is None:
        services.save_identity(dossier, IDENTITY, dossier.candidate)
    elif dossier is not None and identity is not None and not identity.birth_city:
        # The dossier de faisabilité gave the rest of the identity: the place of birth completes it.
        services.save_identity(dossier, {k: IDENTITY[k] for k in BIRTH_PLACE}, dossier.candidate)
    if not Flux.objects.filter(organisation=org).exists():
        today = timezone.localdate()
        try:
            flux = services.request_flux(org, today - dt.timedelta(days=365), today, actor)
        except CdcError:
            return [(CERTIFIER, "certificateur : identifiants CDC d'Askoria (aucun titulaire à déclarer)")]
        flux_builder.build(flux.pk)
    return [(CERTIFIER, "certificateur : un flux de déclaration à la Caisse des Dépôts (menu « Caisse des Dépôts »)")]
