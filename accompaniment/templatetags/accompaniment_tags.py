"""What the pages of the apps below show of the accompaniment, each through one include
(``templates/accompaniment/_*.html``): the candidate's comments beside their text, the
accompaniment panel of the candidate's dossier, and what the certifier reads on the review
page (the organisation, the hours, the opinion; never the comments)."""

from __future__ import annotations

from django import template

from accompaniment import permissions, services
from accompaniment.enums import AccompanimentState
from accompaniment.models import Accompaniment, Comment, Opinion

register = template.Library()


@register.filter
def hours_minutes(minutes) -> str:
    """A duration in minutes as French writes it: « 2 h », « 1 h 30 », « 45 min »."""
    minutes = int(minutes or 0)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}\u00a0min"
    return f"{hours}\u00a0h\u00a0{rest:02d}" if rest else f"{hours}\u00a0h"


@register.inclusion_tag("accompaniment/_comments_list.html", takes_context=True)
def candidate_comments(context, dossier, competency=None, experience=None):
    """The comments of the dossier's organisations on one compétence or experience, for the
    candidate (who marks them as done)."""
    comments = Comment.objects.filter(accompaniment__dossier=dossier, accompaniment__decided_at__isnull=False)
    if competency is not None:
        comments = comments.filter(competency=competency)
    else:
        comments = comments.filter(experience=experience)
    request = context.get("request")
    return {
        "comments": comments.select_related("author", "accompaniment__organisation"),
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("accompaniment/_candidate_panel.html")
def accompaniment_panel(dossier):
    current = permissions.current_accompaniment(dossier)
    opinion = (
        Opinion.objects.filter(accompaniment=current).first()
        if current is not None and current.state == AccompanimentState.ACCEPTED
        else None
    )
    return {"dossier": dossier, "current": current, "opinion": opinion}


@register.inclusion_tag("accompaniment/_certifier_panel.html")
def certifier_panel(dossier):
    """The latest accompaniment accepted on the dossier (current or ended), its hours and the
    opinion given on the recevabilité request."""
    accompaniment = (
        Accompaniment.objects.filter(dossier=dossier, decided_at__isnull=False)
        .exclude(state=AccompanimentState.DECLINED)
        .select_related("organisation")
        .order_by("-decided_at")
        .first()
    )
    return {
        "accompaniment": accompaniment,
        "minutes": services.minutes(accompaniment) if accompaniment else 0,
        "opinion": Opinion.objects.filter(accompaniment=accompaniment).first() if accompaniment else None,
    }
