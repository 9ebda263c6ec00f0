"""What the accompaniment app holds of a candidate, for the privacy app (RGPD): the archive of
their data (``export``) and the erasure of a dossier kept anonymised (``erase``). A dossier
deleted outright takes its accompaniments with it (``on_delete=CASCADE``).

Rules of the erasure: the comments (which quote and discuss what the candidate wrote) are
deleted; the free texts of the opinion, the reasons and the meetings' topics are emptied; what
the organisation must keep for its funders stays, pointing to no one: which organisation, the
states and dates, the verdict, the planned hours and the meetings' dates and durations.
"""

from __future__ import annotations

from typing import Any

from accompaniment.models import Accompaniment, Comment, Meeting, Opinion
from dossiers.models import Dossier


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export(dossier: Dossier) -> list[dict[str, Any]]:
    """The dossier's accompaniments as the candidate may read them: the organisation, the
    states and dates, the comments on their texts, the opinion and the meetings."""
    rows = []
    accompaniments = (
        Accompaniment.objects.filter(dossier=dossier)
        .select_related("organisation")
        .prefetch_related("comments__competency", "comments__experience", "meetings")
        .order_by("requested_at", "pk")
    )
    for a in accompaniments:
        opinion = Opinion.objects.filter(accompaniment=a).first()
        rows.append(
            {
                "organisation": {"name": a.organisation.name, "siret": a.organisation.siret},
                "state": a.state,
                "state_label": str(a.get_state_display()),
                "requested_at": _iso(a.requested_at),
                "decided_at": _iso(a.decided_at),
                "finished_at": _iso(a.finished_at),
                "reason": a.reason,
                "comments": [
                    {
                        "on": str(c.competency or c.experience),
                        "text": c.text,
                        "created_at": _iso(c.created_at),
                        "done_at": _iso(c.done_at),
                    }
                    for c in a.comments.all()
                ],
                "opinion": {
                    "verdict": opinion.verdict,
                    "comment": opinion.comment,
                    "recommendations": opinion.recommendations,
                    "individual_hours": opinion.individual_hours,
                    "collective_hours": opinion.collective_hours,
                    "training_hours": opinion.training_hours,
                    "mandatory_training": opinion.mandatory_training,
                    "basic_skills": opinion.basic_skills,
                    "given_at": _iso(opinion.given_at),
                    "candidate_accepted_at": _iso(opinion.candidate_accepted_at),
                }
                if opinion
                else None,
                "meetings": [
                    {
                        "starts_at": _iso(m.starts_at),
                        "duration_minutes": m.duration_minutes,
                        "kind": m.kind,
                        "mode": m.mode,
                        "topic": m.topic,
                    }
                    for m in a.meetings.all()
                ],
            }
        )
    return rows


def erase(dossier: Dossier) -> None:
    """Erase what concerns the candidate in the accompaniments of a dossier kept anonymised."""
    Comment.objects.filter(accompaniment__dossier=dossier).delete()
    Opinion.objects.filter(accompaniment__dossier=dossier).update(
        comment="", recommendations="", mandatory_training="", basic_skills=""
    )
    Meeting.objects.filter(accompaniment__dossier=dossier).update(topic="")
    Accompaniment.objects.filter(dossier=dossier).update(reason="")
