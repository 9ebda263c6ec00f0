"""The main pages of every role on the large demo data set (``seed_demo --candidates N``): who
looks at what. Shared by the pinned query counts (tests/perf) and the page bench (bench/pages.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accompaniment.enums import AccompanimentState
from api import demo as api_demo
from certifications.models import Certification
from dossiers.enums import DossierStatus
from dossiers.models import Dossier
from juries.enums import MinutesStatus
from juries.models import JuryMember

CERTIFIER_EMAIL = "certif.aptim@vae.example"
ACCOMPAGNATEUR_EMAIL = "aap1@vae.example"  # Cap VAE Bretagne, which accompanies RNCP35203
CERTIFICATION_CODE = "RNCP35203"


@dataclass
class Subjects:
    """The people and objects whose pages are requested (chosen once, kept as data grows)."""

    certifier: object
    certification: Certification
    stage2: Dossier  # a candidate's dossier in stage 2, on the certifier's certification
    submitted: Dossier  # a dossier de validation waiting for the certifier
    seat: JuryMember  # the president of a closed session
    convocation: object
    rubric: object
    api_secret: str
    accompagnateur: object
    accompanied: Dossier | None  # a generated dossier the accompagnateur's organisation accompanies


def pick_subjects() -> Subjects:
    certification = Certification.objects.get(code=CERTIFICATION_CODE, status="published")
    generated = Dossier.objects.filter(certification=certification).exclude(candidate__email__endswith="@vae.example")
    stage2 = generated.filter(status=DossierStatus.ADMISSIBLE).order_by("-targets_all_blocks", "-pk").first()
    submitted = generated.filter(status=DossierStatus.VALIDATION_SUBMITTED).order_by("pk").first()
    seat = (
        JuryMember.objects.filter(session__minutes__status=MinutesStatus.FINAL, role="president")
        .exclude(user__email__endswith="@vae.example")
        .select_related("session", "user")
        .order_by("-session__starts_at", "pk")
        .first()
    )
    if stage2 is None or submitted is None or seat is None:
        raise LookupError("the generated data set holds no dossier or session to look at: generate more candidates")
    accompagnateur = get_user_model().objects.get(email=ACCOMPAGNATEUR_EMAIL)
    accompanied = (
        generated.filter(
            accompaniments__state=AccompanimentState.ACCEPTED,
            accompaniments__organisation__staff__user=accompagnateur,
        )
        .order_by("pk")
        .first()
    )
    convocation = seat.session.convocations.filter(decisions__isnull=False).order_by("starts_at", "pk").first()
    rubric = convocation.evaluations.filter(member=seat).order_by("pk").first().rubric
    return Subjects(
        certifier=get_user_model().objects.get(email=CERTIFIER_EMAIL),
        certification=certification,
        stage2=stage2,
        submitted=submitted,
        seat=seat,
        convocation=convocation,
        rubric=rubric,
        api_secret=api_demo.seed() or "",
        accompagnateur=accompagnateur,
        accompanied=accompanied,
    )


def main_pages(s: Subjects) -> list[tuple[str, Client, str, dict]]:
    """(name, logged-in client, URL, extra request headers) for each main page."""
    anonymous, candidate, staff, juror, api, aap = Client(), Client(), Client(), Client(), Client(), Client()
    candidate.force_login(s.stage2.candidate)
    staff.force_login(s.certifier)
    juror.force_login(s.seat.user)
    aap.force_login(s.accompagnateur)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {s.api_secret}"}
    block = s.stage2.targeted_blocks().first()
    competency = block.competencies.order_by("order").first()
    d, session, conv = s.stage2.pk, s.seat.session.pk, s.convocation.pk
    queue = reverse("backoffice:queue")
    surname = s.submitted.candidate.last_name.lower()
    return [
        ("catalogue", anonymous, reverse("certifications:catalogue"), {}),
        ("certification", anonymous, reverse("certifications:detail", args=[s.certification.slug]), {}),
        ("candidat : mes dossiers", candidate, reverse("dossiers:list"), {}),
        ("candidat : dossier", candidate, reverse("dossiers:detail", args=[d]), {}),
        ("candidat : bloc", candidate, reverse("dossiers:block", args=[d, block.pk]), {}),
        ("candidat : compétence", candidate, reverse("dossiers:competency", args=[d, competency.pk]), {}),
        ("candidat : preuves", candidate, reverse("dossiers:proofs", args=[d]), {}),
        ("certificateur : tableau de bord", staff, reverse("backoffice:dashboard"), {}),
        ("certificateur : file", staff, queue, {}),
        ("certificateur : file, état", staff, queue + "?status=validation_submitted", {}),
        ("certificateur : file, recherche", staff, queue + f"?q={surname}", {}),
        ("certificateur : file, page 2", staff, queue + "?page=2", {}),
        ("certificateur : dossier", staff, reverse("backoffice:dossier", args=[s.submitted.pk]), {}),
        ("certificateur : historique", staff, reverse("backoffice:dossier_history", args=[s.submitted.pk]), {}),
        ("certificateur : sessions", staff, reverse("backoffice:sessions"), {}),
        ("jury : sessions", juror, reverse("jury:sessions"), {}),
        ("jury : session", juror, reverse("jury:session", args=[session]), {}),
        ("jury : candidat", juror, reverse("jury:candidate", args=[conv]), {}),
        ("jury : notation", juror, reverse("jury:score", args=[conv, s.rubric.pk]), {}),
        ("jury : délibération", juror, reverse("jury:deliberate", args=[conv]), {}),
        ("jury : procès-verbal", juror, reverse("jury:minutes", args=[session]), {}),
        ("API : candidatures", api, "/api/v1/candidatures", bearer),
        ("API : sessions de jury", api, "/api/v1/sessionsJury", bearer),
    ] + (
        [
            ("accompagnateur : accueil", aap, reverse("accompaniment:home"), {}),
            ("accompagnateur : dossier", aap, reverse("accompaniment:dossier", args=[s.accompanied.pk]), {}),
        ]
        if s.accompanied is not None  # data generated before accompaniments were: none
        else []
    )
