"""Demo thread and annotation (``seed_demo`` calls ``seed()`` after the back office's demo).

On candidat3's recevabilité request on RNCP35203 (waiting for APTIM's decision): candidat3
asks a question with a PDF attached, certif.aptim answers, and leaves an internal annotation
(not blocking: the demo's decision stays one click away). On candidat1's admissible RNCP35203
dossier, accompanied by Cap VAE Bretagne, aap1 posts one message. Idempotent: nothing is added to
a dossier that already has messages. Written through the services; nobody is e-mailed.
"""

from __future__ import annotations

from django.db import transaction
from django.test.utils import override_settings

from accounts.models import User
from dossiers.demo import _upload
from dossiers.enums import DossierStatus as S
from dossiers.models import Dossier
from messaging import permissions, services


def seed() -> list[str]:
    return _seed_candidat3() + _seed_accompagnateur()


def _seed_accompagnateur() -> list[str]:
    dossier = (
        Dossier.objects.filter(candidate__email="candidat1@vae.example", certification__code="RNCP35203")
        .exclude(feasibility_submitted_at=None)
        .select_related("candidate", "certification")
        .first()
    )
    aap = User.objects.filter(email="aap1@vae.example").first()
    if dossier is None or aap is None or dossier.messages.exists() or not permissions.may_write(aap, dossier):
        return []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        services.post_message(
            dossier,
            aap,
            "Bonjour,\n\nNous avons relu ensemble les expériences du candidat : il déposera son dossier de "
            "validation d'ici la fin du mois. Nous restons disponibles pour toute question sur son parcours.\n\n"
            "Bien cordialement,\nJeanne Lefèvre, Cap VAE Bretagne",
        )
    return [f"{aap.email}: un message dans le fil de {dossier.candidate.email} sur {dossier.certification.code}"]


def _seed_candidat3() -> list[str]:
    dossier = (
        Dossier.objects.filter(
            candidate__email="candidat3@vae.example",
            certification__code="RNCP35203",
            status=S.FEASIBILITY_SUBMITTED,
        )
        .select_related("candidate", "certification")
        .first()
    )
    certifier = User.objects.filter(email="certif.aptim@vae.example").first()
    if dossier is None or certifier is None or dossier.messages.exists():
        return []
    candidate = dossier.candidate
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        services.post_message(
            dossier,
            candidate,
            "Bonjour,\n\nMon attestation d'employeur pour la période 2019-2021 est en cours de signature : "
            "puis-je vous la transmettre ici dès réception ? Je joins le courrier de mon employeur.\n\n"
            "Merci par avance.",
            files=[
                _upload("courrier-employeur.pdf", "Courrier de l'employeur", ["Attestation en cours de signature."])
            ],
        )
        services.mark_read(dossier, certifier)
        services.post_message(
            dossier,
            certifier,
            "Bonjour,\n\nOui, déposez-la ici dès que vous l'avez : nous l'ajouterons à l'examen de votre demande.\n\n"
            "Bien cordialement,\nAlice Martin, APTIM",
        )
        services.add_annotation(
            dossier,
            certifier,
            "Vérifier la durée d'expérience 2019-2021 une fois l'attestation reçue.",
        )
    return [f"{candidate.email}: fil de messages avec APTIM sur {dossier.certification.code}, une annotation interne"]
