"""Demo Open Badges (idempotent): candidat9 and candidat10, whose jury's procès-verbal is final
in ``juries.demo``, get the badges of their acquired blocs (and candidat10 the certification's).
Run after ``juries.demo.seed()``; issues directly, no worker needed."""

from __future__ import annotations

from credentials import services
from credentials.models import Badge
from juries.demo import PAST_NOTE
from juries.enums import MinutesStatus
from juries.models import JurySession


def seed() -> list[tuple[str, str]]:
    session = JurySession.objects.filter(notes=PAST_NOTE, minutes__status=MinutesStatus.FINAL).first()
    if session is None:
        return []
    services.issue_for_session(session.pk)
    rows = []
    for email in ("candidat9@vae.example", "candidat10@vae.example"):
        count = Badge.objects.filter(decision__convocation__session=session, candidate__email=email).count()
        if count:
            rows.append((email, f"candidat : {count} Open Badge(s) à télécharger et à vérifier"))
    return rows
