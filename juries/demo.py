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
Everything goes through the services; nobody is e-mailed. The services date what they do now,
so the past session's dossiers are then moved back in time (``_date_past_session``): their
story — opened, recevable, dossier de validation submitted, convoked — reads in order in the
months before the session, and what the jury did is dated on the session's day.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
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


@dataclass
class _Seeding:
    """When (in real time) each phase of a session's seeding ran, to date it back afterwards."""

    started: dt.datetime
    walks: dict[int, tuple[dt.datetime, dt.datetime]] = field(default_factory=dict)  # dossier → its walk
    jury: dt.datetime | None = None  # the jury's work (declarations, scores, decisions) began


def _session(certification, actor, note: str, emails: list[str], days_from_today: int, seeding=None):
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
        begun = timezone.now()
        dossier = _ready_dossier(email, certification, actor)
        if seeding is not None:
            seeding.walks[dossier.pk] = (begun, timezone.now())
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


def _past(certification, actor, seeding: _Seeding) -> list[tuple[str, str]]:
    if JurySession.objects.filter(notes=PAST_NOTE).exists():
        return []
    session, members, (partial, full) = _session(
        certification, actor, PAST_NOTE, ["candidat9@vae.example", "candidat10@vae.example"], -14, seeding
    )
    seeding.jury = timezone.now()
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


# Where the past session's story is placed, before the session's start (at 10:00 on those days).
OPENED_BEFORE = dt.timedelta(days=150)  # dossier opened
READY_BEFORE = dt.timedelta(days=40)  # dossier de validation found complete
CONVOKED_BEFORE = dt.timedelta(days=30)  # session set up, candidates convoked
JURY_LENGTH = dt.timedelta(hours=2)  # the jury's work, from the session's start
DOCUMENTS_AFTER = dt.timedelta(hours=3)  # letters, attestations, procès-verbal (after the signatures)


def _day(session_start: dt.datetime, before: dt.timedelta) -> dt.datetime:
    day = timezone.localtime(session_start - before).date()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def _steps(real: list[dt.datetime], session_start: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """(real moment, new moment) of each transition of a dossier's walk, spread evenly from its
    opening to its dossier de validation found complete."""
    if len(real) == 1:
        return [(real[0], _day(session_start, OPENED_BEFORE))]
    gap = (OPENED_BEFORE - READY_BEFORE) / (len(real) - 1)
    return [(t, _day(session_start, OPENED_BEFORE - gap * i)) for i, t in enumerate(real)]


def _past_moment(t: dt.datetime, steps, seeding: _Seeding, session_start: dt.datetime, now: dt.datetime):
    """Where a moment of the seeding goes in the past session's timeline. ``steps`` are the
    dossier's own (None for the session's rows): what led to a transition (an experience
    entered, a snapshot taken) keeps its real few seconds before it."""
    if t >= seeding.jury:
        length = (now - seeding.jury).total_seconds() or 1
        return session_start + JURY_LENGTH * ((t - seeding.jury).total_seconds() / length)
    if steps and t <= steps[-1][0]:
        real, moved = next((real, moved) for real, moved in steps if t <= real)
        return moved - (real - t)
    return _day(session_start, CONVOKED_BEFORE) + (t - seeding.started)


def _related_rows(session: JurySession, dossier_ids: list[int]):
    """(model, rows, the field naming their dossier) of every dated row of the session and its
    dossiers."""
    links = {
        "dossier": Q(dossier__in=dossier_ids),
        "convocation": Q(convocation__session=session),
        "session": Q(session=session),
        "minutes": Q(minutes__session=session),
        "evaluation": Q(evaluation__convocation__session=session),
    }
    for model in apps.get_models():
        fields = {f.name for f in model._meta.concrete_fields}
        if model._meta.proxy or not any(isinstance(f, models.DateTimeField) for f in model._meta.concrete_fields):
            continue
        if model is Dossier:
            yield model, Dossier.objects.filter(pk__in=dossier_ids), "pk"
        elif model is JurySession:
            yield model, JurySession.objects.filter(pk=session.pk), None
        elif chosen := [q for name, q in links.items() if name in fields]:
            where = Q()
            for q in chosen:
                where |= q
            owners = [f"{name}_id" for name in ("dossier", "convocation__dossier") if name.split("__")[0] in fields]
            owner = owners[0] if owners else None
            yield model, model.objects.filter(where), owner


def _date_past_session(seeding: _Seeding) -> None:
    """Move the past session's rows from the seeding's real time to the session's timeline (see
    the module's docstring). Only the moments the seeding produced are moved: the dates the
    demo chose itself (the session's slot, the decision's hour, the signatures) stay."""
    session = JurySession.objects.filter(notes=PAST_NOTE).first()
    if session is None or seeding.jury is None:
        return
    now = timezone.now()
    start = session.starts_at
    steps = {
        pk: _steps(
            list(
                TransitionLog.objects.filter(dossier=pk, created_at__range=walk)
                .order_by("pk")
                .values_list("created_at", flat=True)
            ),
            start,
        )
        for pk, walk in seeding.walks.items()
    }
    documents = apps.get_model("documents", "GeneratedDocument")
    for model, rows, owner in _related_rows(session, list(seeding.walks)):
        dates = [f.name for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)]
        for row in rows.values("pk", *dates, **({"owner": F(owner)} if owner else {})):
            changes = {
                name: _past_moment(row[name], steps.get(row.get("owner")), seeding, start, now)
                for name in dates
                if row[name] is not None and seeding.started <= row[name] <= now
            }
            if model is documents and changes:
                changes = _document_dates(rows.get(pk=row["pk"]).kind, row, dates, changes, start)
            if changes:
                model.objects.filter(pk=row["pk"]).update(**changes)
    # The history says the jury's decision when the decision itself is dated.
    for decision in Decision.objects.filter(convocation__session=session):
        TransitionLog.objects.filter(dossier=decision.dossier_id, created_at__gte=start).update(
            created_at=decision.decided_at
        )


def _document_dates(kind: str, row: dict, dates: list[str], changes: dict, session_start) -> dict:
    """A PDF keeps the order of its own steps (asked, queued, rendered): a convocation is dated
    with the convocations, the jury's documents just after the signatures, a dossier's own PDF
    (a recevabilité request, a dossier de validation) when it was asked."""
    if kind == JuryDocumentKind.CONVOCATION:
        target = _day(session_start, CONVOKED_BEFORE) + dt.timedelta(minutes=5)
    elif kind in JuryDocumentKind.values:
        target = session_start + DOCUMENTS_AFTER
    else:
        target = changes.get("created_at", row["created_at"])
    shift = target - row["created_at"]
    return {name: row[name] + shift for name in dates if row[name] is not None}


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
            rows = _today(certification, actor)
            seeding = _Seeding(started=timezone.now())
            rows += _past(certification, actor, seeding)
        _convocation_pdfs()
        _render_pending()
        with transaction.atomic():
            _date_past_session(seeding)
        rows.append(("candidat5@vae.example", "candidat convoqué (RNCP35203) : convocation PDF et fichier d'agenda"))
    return rows
