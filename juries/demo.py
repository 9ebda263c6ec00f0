"""Demo data for the jury members (``seed_demo`` calls ``seed()``; idempotent).

On the CPSL certification (Askoria, two blocs, short grilles), whose jury rule asks for a
professionnel du secteur, a formateur and a personne ressource, jury1 (président), jury2
(professionnel du secteur), jury4 (formatrice) and jury5 (personne ressource, who advises and
does not score) sit on:
- a session held today, with candidat7 and candidat8 convoked: jury2 has declared no link with
  candidat7 and validated their scoring of both blocs; the rest is to do (jury1 declares, scores —
  one criterion ends two levels away from jury2's —, records the attendance, decides, both sign);
- a session held two weeks ago, whose procès-verbal is final: candidat9 validated one bloc of
  two (préconisations for the other), candidat10 validated both; on candidat9, jury4 scored a
  criterion two levels below the others and jury1 settled the divergence with a justification
  (in the procès-verbal, with the agreement figures in its annex); letters, attestations and
  the procès-verbal are rendered.
jury3 sits only on the APTIM session in three weeks (``backoffice.demo``), where candidat5 is
convoked: their dossier page shows the convocation, its PDF and the calendar file.
Every demo convocation has its PDF, rendered here from the dates it ends up with (the sessions
of today and of two weeks ago are programmed tomorrow, then moved: the dossiers' histories say
the moved date too).
Everything goes through the services; nobody is e-mailed.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import F, Q
from django.test.utils import override_settings
from django.utils import timezone

from accounts.demo import _account
from accounts.models import User
from certifications.models import Certification
from documents import services as document_services
from dossiers import demo as dossier_demo
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from dossiers.models import Dossier, TransitionLog
from juries import queries
from juries import services as jury_services
from juries.enums import Attendance, JuryDocumentKind, JuryRole, LinkKind
from juries.formats import when
from juries.models import Convocation, Decision, Evaluation, JuryDocument, JurySession, Minutes, Signature
from juries.services.decisions import unsettled_divergences

logger = logging.getLogger(__name__)

SLUG = "charge-projets-solidaires-locaux-cpsl"
CERTIFIER = "certif.askoria@vae.example"
PRESIDENT, PROFESSIONAL = "jury1@vae.example", "jury2@vae.example"
TRAINER, RESOURCE = "jury4@vae.example", "jury5@vae.example"
MEMBERS = {TRAINER: ("Hélène", "Faure"), RESOURCE: ("Iris", "Morel")}
TODAY_NOTE = "Session de démonstration — jury du jour"
PAST_NOTE = "Session de démonstration — procès-verbal signé"
CANDIDATES = {
    "candidat7@vae.example": ("Nadia", "Colin"),
    "candidat8@vae.example": ("Olivier", "Masson"),
    "candidat9@vae.example": ("Pauline", "Girard"),
    "candidat10@vae.example": ("Quentin", "Lambert"),
}
# jury2's levels on candidat7, by bloc (positions in the 0–3 scale), and jury1's for the past session.
JURY2_LEVELS = [[2, 3], [3, 2, 2, 1]]


def _ready_dossier(email: str, certification: Certification, reviewer: User) -> Dossier:
    first, last = CANDIDATES[email]
    candidate = _account(email, first, last)
    dossier = dossier_services.start_dossier(candidate, certification)
    dossier_demo.walk(dossier, S.READY_FOR_JURY, reviewer)
    dossier.refresh_from_db()
    return dossier


def _session(certification, actor, note: str, emails: list[str], days_from_today: int):
    """A session programmed tomorrow with jury1 and jury2 and the candidates convoked, then moved
    ``days_from_today`` (the services only programme sessions in the future)."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    # The session of today has started when the demo is seeded (the jury records attendance,
    # decisions and signatures only from the session's start): 09:00, or the hour begun.
    hour = min(9, timezone.localtime().hour) if days_from_today == 0 else 9
    session = jury_services.create_session(
        certification,
        actor,
        starts_at=timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(hour, 0))),
        capacity=len(emails),
        place="Askoria, 2 avenue du Bois Labbé, Rennes — salle 12",
        instructions="Présentation orale de 20 minutes, puis échange avec le jury.",
        notes=note,
    )
    members = [
        jury_services.add_member(session, actor, email=PRESIDENT, role=JuryRole.PRESIDENT),
        jury_services.add_member(session, actor, email=PROFESSIONAL, role=JuryRole.PROFESSIONAL),
        jury_services.add_member(session, actor, email=TRAINER, role=JuryRole.TRAINER),
        jury_services.add_member(session, actor, email=RESOURCE, role=JuryRole.RESOURCE_PERSON),
    ]
    convocations = []
    for i, email in enumerate(emails):
        dossier = _ready_dossier(email, certification, actor)
        start = session.starts_at + dt.timedelta(hours=i)
        convocations.append(
            jury_services.convoke(session, dossier, actor, starts_at=start, ends_at=start + dt.timedelta(hours=1))
        )
    delta = dt.timedelta(days=days_from_today - 1)
    JurySession.objects.filter(pk=session.pk).update(starts_at=F("starts_at") + delta)
    Convocation.objects.filter(session=session).update(starts_at=F("starts_at") + delta, ends_at=F("ends_at") + delta)
    session.refresh_from_db()
    for c in convocations:
        c.refresh_from_db()
        TransitionLog.objects.filter(dossier=c.dossier_id, to_status=S.SCHEDULED).update(
            comment=f"Convoqué(e) au jury du {when(c.starts_at)}."
        )
    return session, members, convocations


def _score(member, convocation, levels_by_bloc: list[list[int]], comment: str) -> None:
    for item, positions in zip(queries.assessed_items(convocation.dossier), levels_by_bloc, strict=True):
        rubric = item.rubric
        levels = list(rubric.levels.order_by("order"))
        changes = {"comment": comment}
        for criterion, position in zip(rubric.criteria.order_by("order"), positions, strict=True):
            changes[f"level-{criterion.pk}"] = str(levels[position].pk)
        current = Evaluation.objects.filter(member=member, convocation=convocation, rubric=rubric).first()
        jury_services.save_evaluation(member, convocation, rubric, current.version if current else 0, changes)
        jury_services.validate_evaluation(member, convocation, rubric)


def _today(certification, actor) -> list[tuple[str, str]]:
    if JurySession.objects.filter(notes=TODAY_NOTE).exists():
        return []
    session, (president, professional, trainer, _resource), (first, _second) = _session(
        certification, actor, TODAY_NOTE, ["candidat7@vae.example", "candidat8@vae.example"], 0
    )
    jury_services.declare_link(professional, first, LinkKind.NONE)
    _score(
        professional, first, JURY2_LEVELS, "Dossier solide ; le diagnostic partagé mérite d'être approfondi à l'oral."
    )
    jury_services.declare_link(trainer, first, LinkKind.NONE)
    _score(trainer, first, JURY2_LEVELS, "")
    return [
        (PRESIDENT, f"président du jury du jour ({certification.title[:30]}…) : déclarer, noter, trancher, délibérer"),
        (PROFESSIONAL, "membre du jury du jour : notation de candidat7 validée ; candidat8 à noter"),
        (TRAINER, "formatrice du jury du jour : notation de candidat7 validée ; candidat8 à noter"),
        (RESOURCE, "personne ressource du jury du jour : lit les dossiers, ne note pas, signe le procès-verbal"),
    ]


def _past(certification, actor) -> list[tuple[str, str]]:
    if JurySession.objects.filter(notes=PAST_NOTE).exists():
        return []
    session, members, (partial, full) = _session(
        certification, actor, PAST_NOTE, ["candidat9@vae.example", "candidat10@vae.example"], -14
    )
    president, professional, trainer, _resource = members
    # jury4 scores the first criterion of candidat9's first bloc two levels below the others.
    trainer_levels = {partial.pk: [[0, 3], [0, 1, 1, 0]], full.pk: [[3, 3], [2, 3, 2, 2]]}
    for conv, levels in ((partial, [[2, 3], [0, 1, 1, 0]]), (full, [[3, 3], [2, 3, 2, 2]])):
        for member in (president, professional, trainer):
            jury_services.declare_link(member, conv, LinkKind.NONE)
        jury_services.record_attendance(conv, president, Attendance.PRESENT)
        conv.refresh_from_db()
        _score(president, conv, levels, "Présentation claire.")
        _score(professional, conv, levels, "")
        _score(trainer, conv, trainer_levels[conv.pk], "")
        items = queries.assessed_items(conv.dossier)
        for item, criterion in unsettled_divergences(conv):
            jury_services.settle_divergence(
                conv,
                president,
                criterion,
                item.rubric.levels.order_by("order")[2],
                "Le jury retient le niveau de la majorité : le diagnostic décrit à l'oral montre le travail "
                "d'enquête que le dossier écrit résumait trop brièvement.",
            )
        validated = {items[0].key: True, items[1].key: conv is full}
        decisions = [
            jury_services.ItemDecision(
                key=item.key,
                validated=validated[item.key],
                justification="Les situations décrites et l'entretien démontrent les compétences du bloc."
                if validated[item.key]
                else "Les situations décrites ne montrent pas encore la conduite d'un projet de bout en bout.",
                competencies=[] if validated[item.key] else item.competencies()[:2],
                recommendations=""
                if validated[item.key]
                else "Conduire un projet complet, de son montage à son évaluation, et en décrire les étapes.",
            )
            for item in items
        ]
        jury_services.record_decision(conv, president, decisions, "Le jury salue la qualité de l'engagement décrit.")
    for member in members:
        jury_services.sign_minutes(session, member)
    # Dated as on the day of the session rather than today.
    Decision.objects.filter(convocation__session=session).update(decided_at=session.starts_at + dt.timedelta(hours=2))
    later = session.starts_at + dt.timedelta(hours=3)
    Signature.objects.filter(minutes__session=session).update(signed_at=later)
    Minutes.objects.filter(session=session).update(finalised_at=later)
    return [
        (
            "candidat9@vae.example",
            "candidat : jury passé, validation partielle (lettre et attestation) ; "
            "une divergence entre membres tranchée au procès-verbal",
        ),
        ("candidat10@vae.example", "candidat : jury passé, validation totale des blocs"),
    ]


def _convocation_pdfs() -> None:
    """Each demo convocation's PDF. Once the seeding commits, the convocations' own hook has
    asked for it with the slot they end up with (the sessions were moved inside the
    transaction); this asks for any still missing (idempotent)."""
    for convocation in Convocation.objects.filter(session__notes__startswith="Session de démonstration"):
        document_services.request_document(JuryDocumentKind.CONVOCATION, convocation=convocation)


def _render_pending() -> None:
    """Render the demo's PDFs now (no worker needed to see them); a failure is only logged."""
    demo = Q(session__notes=PAST_NOTE) | Q(convocation__session__notes__startswith="Session de démonstration")
    for pk in JuryDocument.objects.filter(demo, status="queued").values_list("pk", flat=True):
        try:
            document_services.run(pk)
        except Exception:  # the demo must not fail on a missing font
            logger.exception("Demo jury document %s could not be rendered", pk)


def seed() -> list[tuple[str, str]]:
    certification = Certification.objects.published().filter(slug=SLUG).first()
    actor = User.objects.filter(email=CERTIFIER).first()
    jurors = User.objects.filter(email__in=[PRESIDENT, PROFESSIONAL]).count()
    if certification is None or actor is None or jurors != 2:
        return []
    for email, (first, last) in MEMBERS.items():
        _account(email, first, last)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        with transaction.atomic():
            rows = _today(certification, actor) + _past(certification, actor)
        _convocation_pdfs()
        _render_pending()
        rows.append(("candidat5@vae.example", "candidat convoqué (RNCP35203) : convocation PDF et fichier d'agenda"))
    return rows
