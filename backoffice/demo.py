"""Demo data for the certifiers: dossiers waiting for their review and a jury session.

``seed()`` is idempotent. It walks every dossier through the real services (so snapshots,
timelines and states are what the portal would produce) and sends no e-mail to the
fictional people. The candidate pages' demo (candidat1, candidat2) is left alone: the
dossiers here belong to candidat3 … candidat6.

- APTIM (RNCP35203): candidat3 waits for recevabilité, candidat4 for the completeness review
  of their dossier de validation, candidat5 is convoked to a session in three weeks (members
  jury1 président, jury2 and jury3 professionnels, certif.aptim représentant du certificateur),
  candidat6 is ready for jury and not convoked yet.
- IRCOM (RNCP41296): candidat4 waits for recevabilité, candidat3 for the completeness review.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.demo import _account
from accounts.models import User
from certifications.models import Certification
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from dossiers.enums import ExperienceKind, ProofKind, SelfAssessment
from dossiers.models import Dossier, Experience, Proof
from juries import services as jury_services
from juries.enums import JuryRole
from juries.models import JurySession

SESSION_NOTE = "Session de démonstration"
CANDIDATES = {
    "candidat3@vae.example": ("Julie", "Mercier"),
    "candidat4@vae.example": ("Karim", "Benali"),
    "candidat5@vae.example": ("Léa", "Fontaine"),
    "candidat6@vae.example": ("Marc", "Henry"),
}
# (candidate, certification code, state to reach)
DOSSIERS = [
    ("candidat3@vae.example", "RNCP35203", S.FEASIBILITY_SUBMITTED),
    ("candidat4@vae.example", "RNCP35203", S.VALIDATION_SUBMITTED),
    ("candidat5@vae.example", "RNCP35203", S.READY_FOR_JURY),
    ("candidat6@vae.example", "RNCP35203", S.READY_FOR_JURY),
    ("candidat4@vae.example", "RNCP41296", S.FEASIBILITY_SUBMITTED),
    ("candidat3@vae.example", "RNCP41296", S.VALIDATION_SUBMITTED),
]
REVIEWERS = {"RNCP35203": "certif.aptim@vae.example", "RNCP41296": "certif.ircom@vae.example"}

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)
EXPERIENCES = [
    (
        ExperienceKind.EMPLOYEE,
        "Association Tremplin Solidaire",
        "Coordinatrice de projets",
        dt.date(2018, 9, 1),
        None,
        35,
        "Conduite de projets d'insertion par l'activité économique : diagnostic de territoire, montage des "
        "dossiers de financement, animation des partenariats, encadrement d'une équipe de six salariés.",
    ),
    (
        ExperienceKind.VOLUNTEER,
        "Collectif des Jardins Partagés",
        "Trésorière bénévole",
        dt.date(2015, 3, 1),
        dt.date(2018, 6, 30),
        4,
        "Suivi budgétaire, préparation des assemblées générales, recherche de subventions auprès de la "
        "commune et de la fondation d'entreprise locale.",
    ),
]
NARRATIVES = [
    "En 2022, l'association m'a confié la création d'une recyclerie solidaire. J'ai d'abord réalisé un "
    "diagnostic avec la mairie et deux bailleurs sociaux, puis rédigé la note d'opportunité présentée au "
    "conseil d'administration. J'ai construit le budget prévisionnel, obtenu une subvention régionale et "
    "recruté deux salariés en insertion. La recyclerie a ouvert en mars 2023 et accueille 150 personnes par mois.",
    "Chaque semaine, j'anime la réunion d'équipe : je prépare l'ordre du jour avec les encadrants, je fais "
    "le point sur les parcours des salariés en insertion et je répartis les tâches. Lors d'un conflit entre "
    "deux encadrants sur l'organisation des chantiers, j'ai mené un entretien avec chacun puis une médiation "
    "commune ; nous avons redéfini les plannings et le climat s'est apaisé durablement.",
    "Pour le renouvellement de notre convention avec le département, j'ai rassemblé les indicateurs de "
    "l'année (sorties vers l'emploi, heures de formation, satisfaction), rédigé le bilan d'activité et "
    "présenté les résultats au comité de pilotage. Le financement a été reconduit pour trois ans avec une "
    "hausse de 12 %, et nos indicateurs sont désormais suivis dans un tableau de bord partagé.",
]


def _pdf(name: str) -> tuple[ContentFile, str]:
    return ContentFile(MINIMAL_PDF, name=name), hashlib.sha256(MINIMAL_PDF).hexdigest()


def _fill_feasibility(dossier: Dossier) -> None:
    for i, (kind, org, role, start, end, hours, activities) in enumerate(EXPERIENCES):
        Experience.objects.create(
            dossier=dossier,
            kind=kind,
            organisation=org,
            role=role,
            start_date=start,
            end_date=end,
            hours_per_week=hours,
            activities=activities,
            order=i,
        )
    dossier.statements.update(self_assessment=SelfAssessment.YES)
    dossier.statements.filter(competency__order=2).update(
        self_assessment=SelfAssessment.PARTLY, self_comment="Je l'ai pratiqué surtout comme bénévole."
    )
    content, sha = _pdf("piece-identite.pdf")
    dossier.identity_document.save("piece-identite.pdf", content, save=False)
    dossier.identity_document_name = "piece-identite.pdf"
    dossier.identity_document_sha256 = sha
    dossier.sworn_statement_at = timezone.now()
    dossier.save()


def _fill_validation(dossier: Dossier) -> None:
    proofs = []
    for title, kind in [
        ("Attestation de l'employeur", ProofKind.ATTESTATION),
        ("Bilan d'activité 2023", ProofKind.PRODUCTION),
    ]:
        content, sha = _pdf(f"{title}.pdf")
        proof = Proof(
            dossier=dossier,
            title=title,
            kind=kind,
            original_name=f"{title}.pdf",
            content_type="application/pdf",
            size=len(MINIMAL_PDF),
            sha256=sha,
        )
        proof.file.save(content.name, content, save=True)
        proofs.append(proof)
    experiences = list(dossier.experiences.all())
    for i, statement in enumerate(dossier.statements.select_related("competency").order_by("pk")):
        statement.narrative = NARRATIVES[i % len(NARRATIVES)]
        statement.version += 1
        statement.save(update_fields=["narrative", "version", "updated_at"])
        statement.proofs.add(proofs[i % len(proofs)])
        statement.experiences.add(experiences[0])


def _walk(dossier: Dossier, target: str, reviewer) -> None:
    """Take a fresh draft to ``target`` through the services, as candidate and certifier would."""
    candidate = dossier.candidate
    _fill_feasibility(dossier)
    dossier_services.request_feasibility(dossier, candidate)
    if target == S.FEASIBILITY_SUBMITTED:
        return
    dossier_services.decide_feasibility(dossier, reviewer, S.ADMISSIBLE)
    _fill_validation(dossier)
    dossier_services.submit_validation(dossier, candidate)
    if target == S.VALIDATION_SUBMITTED:
        return
    dossier_services.review_validation(dossier, reviewer, complete=True)


def _dossiers() -> list[Dossier]:
    created = []
    for email, code, target in DOSSIERS:
        certification = Certification.objects.published().filter(code=code).first()
        if certification is None:
            continue
        first, last = CANDIDATES[email]
        candidate = _account(email, first, last)
        if Dossier.objects.filter(candidate=candidate, certification__lineage=certification.lineage).exists():
            continue
        reviewer = User.objects.filter(email=REVIEWERS[code]).first()
        dossier = dossier_services.start_dossier(candidate, certification)
        _walk(dossier, target, reviewer)
        created.append(dossier)
    return created


def _session() -> list[tuple[str, str]]:
    certification = Certification.objects.published().filter(code="RNCP35203").first()
    if certification is None:
        return []
    if JurySession.objects.filter(certification__lineage=certification.lineage, notes=SESSION_NOTE).exists():
        return []
    actor = User.objects.filter(email=REVIEWERS["RNCP35203"]).first()
    day = timezone.localdate() + dt.timedelta(days=21)
    session = jury_services.create_session(
        certification,
        actor,
        starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0))),
        capacity=4,
        place="École 3A, salle du conseil, Lyon",
        instructions="Apportez une pièce d'identité et votre convocation. Présentation de 20 minutes, puis échange "
        "de 40 minutes avec le jury.",
        notes=SESSION_NOTE,
    )
    members = [
        ("jury1@vae.example", JuryRole.PRESIDENT),
        ("jury2@vae.example", JuryRole.PROFESSIONAL),
        ("jury3@vae.example", JuryRole.PROFESSIONAL),
        (REVIEWERS["RNCP35203"], JuryRole.CERTIFIER_REPRESENTATIVE),
    ]
    for email, role in members:
        if User.objects.filter(email=email).exists():
            jury_services.add_member(session, actor, email=email, role=role)
    convoked = Dossier.objects.filter(
        candidate__email="candidat5@vae.example", certification=certification, status=S.READY_FOR_JURY
    ).first()
    if convoked is not None:
        start = session.starts_at
        jury_services.convoke(session, convoked, actor, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    return [("jury1@vae.example", f"président de la session du {day:%d/%m/%Y} (RNCP35203)")]


def seed() -> list[tuple[str, str]]:
    """Create what is missing; return (e-mail, what the account now has) rows for the summary."""
    # The fictional people are not e-mailed: every notification goes nowhere while seeding.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        created = _dossiers()
        rows = _session()
    for dossier in created:
        dossier.refresh_from_db()
        code, state = dossier.certification.code, dossier.get_status_display()
        rows.append((dossier.candidate.email, f"candidat : {code}, {state}"))
    return sorted(rows)
