"""What the pages of the apps below show of the accompaniment, each through one include
(``templates/accompaniment/_*.html``): the candidate's comments beside their text, the
accompaniment panel of the candidate's dossier, and what the certifier reads on the review
page (the organisation, the hours, the opinion; never the comments)."""

from __future__ import annotations

from django import template
from django.db.models import Sum

from accompaniment.enums import AccompanimentState
from accompaniment.models import Accompaniment, Comment

register = template.Library()


@register.filter
def hours_minutes(minutes) -> str:
    """A duration in minutes as French writes it: « 2 h », « 1 h 30 », « 45 min »."""
    minutes = int(minutes or 0)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}\u00a0min"
    return f"{hours}\u00a0h\u00a0{rest:02d}" if rest else f"{hours}\u00a0h"


def _comments_of(dossier) -> dict[tuple[str, int], list[Comment]]:
    """Every comment on the dossier, by target, in one query per dossier and page: the candidate's
    pages show them beside each compétence and experience and keep a fixed number of queries."""
    cached = getattr(dossier, "_accompaniment_comments", None)
    if cached is None:
        cached = {}
        comments = Comment.objects.filter(
            accompaniment__dossier=dossier, accompaniment__decided_at__isnull=False
        ).select_related("author", "accompaniment__organisation")
        for c in comments:
            key = ("competency", c.competency_id) if c.competency_id else ("experience", c.experience_id)
            cached.setdefault(key, []).append(c)
        dossier._accompaniment_comments = cached
    return cached


@register.inclusion_tag("accompaniment/_comments_list.html", takes_context=True)
def candidate_comments(context, dossier, competency=None, experience=None):
    """The comments of the dossier's organisations on one compétence or experience, for the
    candidate (who marks them as done)."""
    key = ("competency", competency.pk) if competency is not None else ("experience", getattr(experience, "pk", None))
    request = context.get("request")
    return {
        "comments": _comments_of(dossier).get(key, []),
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("accompaniment/_candidate_panel.html")
def accompaniment_panel(dossier):
    """ "Autonome" or "accompagné", and the opinion given: one query."""
    current = Accompaniment.objects.live().select_related("organisation", "opinion").filter(dossier=dossier).first()
    opinion = (
        getattr(current, "opinion", None)
        if current is not None and current.state == AccompanimentState.ACCEPTED
        else None
    )
    return {"dossier": dossier, "current": current, "opinion": opinion}


@register.inclusion_tag("accompaniment/_certifier_panel.html")
def certifier_panel(dossier, frozen=None):
    """The latest accompaniment accepted on the dossier (current or ended), its hours and the
    opinion given on the recevabilité request, in one query. ``frozen``: the accompanied section
    of the recevabilité request shown (``accompaniment.feasibility``): its opinion is the one
    read, not the live one, and its parcours is in the request's section."""
    accompaniment = (
        Accompaniment.objects.filter(dossier=dossier, decided_at__isnull=False)
        .exclude(state=AccompanimentState.DECLINED)
        .select_related("organisation", "opinion")
        .annotate(total_minutes=Sum("meetings__duration_minutes"))
        .order_by("-decided_at")
        .first()
    )
    return {
        "accompaniment": accompaniment,
        "minutes": (accompaniment.total_minutes or 0) if accompaniment else 0,
        "opinion": getattr(accompaniment, "opinion", None),
        "frozen": frozen or None,
    }
