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

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.demo import _account
from accounts.models import User
from certifications.models import Certification
from dossiers import demo as candidate_demo  # walks a dossier to the state each candidate needs
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from dossiers.models import Dossier
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
        candidate_demo.walk(dossier, target, reviewer)
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
