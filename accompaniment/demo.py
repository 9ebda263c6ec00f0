"""Demo accompaniment organisations, moved through the services (``seed_demo`` calls ``seed()``
after the dossiers).

- « Cap VAE Bretagne » (Rennes), staff ``aap1@vae.example`` (its manager), accompanies
  candidat1's admissible RNCP35203 dossier: comments on two narratives and an experience, two
  meetings;
- « Tremplin Compétences Lyon », staff ``aap2@vae.example`` (its manager), accompanies
  candidat2's draft: a comment on an experience and a favorable opinion on the recevabilité
  request to come.

Idempotent: an organisation that exists (by SIRET) is left alone with its accompaniments.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accompaniment import services
from accompaniment.models import Organisation
from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from certifications.models import Certification
from dossiers.models import Dossier

AAP1 = ("aap1@vae.example", "Jeanne", "Lefèvre")
AAP2 = ("aap2@vae.example", "Karim", "Benali")
SLUG_CPSL = "charge-projets-solidaires-locaux-cpsl"


def _account(email: str, first_name: str, last_name: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first_name, "last_name": last_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _organisation(siret: str, certifications, **fields) -> tuple[Organisation, bool]:
    org, created = Organisation.objects.get_or_create(siret=siret, defaults=fields)
    if created:
        org.certifications.add(*certifications)
    return org, created


def _dossier(email: str, **certification) -> Dossier | None:
    return (
        Dossier.objects.active()
        .filter(candidate__email=email, **{f"certification__{k}": v for k, v in certification.items()})
        .first()
    )


def _first_org(admin: User, aap: User, cert_35203) -> list[str]:
    org, created = _organisation(
        "44306184100047",
        [cert_35203],
        name="Cap VAE Bretagne",
        address="12 rue de Saint-Malo",
        postcode="35000",
        city="Rennes",
        contact_email="contact@capvae.example",
        contact_phone="02 99 00 00 00",
        on_site=True,
        remote=True,
        accessible=True,
    )
    if not created:
        return []
    services.add_staff(org, admin, email=aap.email, is_manager=True)
    dossier = _dossier("candidat1@vae.example", code="RNCP35203")
    if dossier is None:
        return [f"{org.name} (sans candidat : le dossier recevable de candidat1 manque)"]
    accompaniment = services.choose(dossier, org, dossier.candidate)
    accompaniment = services.accept(accompaniment, aap)
    written = [s.competency for s in dossier.statements.exclude(narrative="").select_related("competency")[:2]]
    texts = [
        "Précisez votre rôle exact dans cette situation : qu'avez-vous décidé seul, et avec qui ?",
        "Bon récit. Ajoutez le résultat obtenu et ce que vous en avez appris.",
    ]
    for competency, text in zip(written, texts, strict=False):
        services.add_comment(accompaniment, aap, text, competency=competency)
    experience = dossier.experiences.first()
    if experience is not None:
        services.add_comment(
            accompaniment, aap, "Indiquez le nombre de personnes encadrées et le budget géré.", experience=experience
        )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for days, minutes, kind, mode, topic in [
        (21, 120, "individual", "on_site", "Entretien de démarrage : lecture du référentiel"),
        (7, 90, "collective", "remote", "Atelier d'écriture des récits"),
    ]:
        services.record_meeting(
            accompaniment,
            aap,
            starts_at=now - dt.timedelta(days=days),
            duration_minutes=minutes,
            kind=kind,
            mode=mode,
            topic=topic,
        )
    return [f"{org.name} accompagne {dossier.candidate.email} sur RNCP35203"]


def _second_org(admin: User, aap: User, cert_cpsl) -> list[str]:
    org, created = _organisation(
        "79054389200021",
        [cert_cpsl],
        name="Tremplin Compétences Lyon",
        address="5 place Bellecour",
        postcode="69002",
        city="Lyon",
        contact_email="contact@tremplin.example",
        on_site=True,
        remote=False,
        accessible=True,
    )
    if not created:
        return []
    services.add_staff(org, admin, email=aap.email, is_manager=True)
    dossier = _dossier("candidat2@vae.example", slug=SLUG_CPSL)
    if dossier is None:
        return [f"{org.name} (sans candidat : le brouillon de candidat2 manque)"]
    accompaniment = services.choose(dossier, org, dossier.candidate)
    accompaniment = services.accept(accompaniment, aap)
    experience = dossier.experiences.first()
    if experience is not None:
        services.add_comment(
            accompaniment, aap, "Décrivez un atelier précis : public, déroulé, résultat.", experience=experience
        )
    services.give_opinion(
        accompaniment,
        aap,
        verdict="favorable",
        comment="Expérience de volontariat en lien direct avec les blocs visés.",
        recommendations="Compléter par une expérience de conduite de projet.",
        individual_hours=10,
        collective_hours=6,
        training_hours=0,
        mandatory_training="",
        basic_skills="",
    )
    return [f"{org.name} accompagne {dossier.candidate.email} (avis favorable donné)"]


def seed() -> list[tuple[str, str]]:
    """Create the organisations, their staff and accompaniments; return the accounts' rows
    (e-mail, role) and, for each organisation created, a line."""
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None:
        return []
    aap1, aap2 = _account(*AAP1), _account(*AAP2)
    lines: list[str] = []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        cert_35203 = Certification.objects.filter(code="RNCP35203").order_by("-version").first()
        cert_cpsl = Certification.objects.filter(slug=SLUG_CPSL).order_by("-version").first()
        if cert_35203 is not None:
            lines += _first_org(admin, aap1, cert_35203)
        if cert_cpsl is not None:
            lines += _second_org(admin, aap2, cert_cpsl)
    rows = [
        (aap1.email, "accompagnateur (Cap VAE Bretagne)"),
        (aap2.email, "accompagnateur (Tremplin Compétences Lyon)"),
    ]
    return rows + [("", line) for line in lines]
