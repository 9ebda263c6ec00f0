from django import template
from django.utils.html import format_html
from django.utils.text import capfirst

from dossiers.enums import DossierStatus as S
from dossiers.enums import StatementState
from dossiers.models import Dossier
from dossiers.progress import duration_label

register = template.Library()

# A dossier's status has one colour on every page (candidate, certifier, accompagnateur): grey for
# a draft, blue (info) while someone else acts, dark blue when the candidate writes, yellow when a
# completion is asked, green once decided, red for refused. Bootstrap's text-bg-* pairs keep the
# text at 4.5:1 contrast at least.
_STATUS_TONES = {
    S.DRAFT: "secondary",
    S.FEASIBILITY_SUBMITTED: "info",
    S.FEASIBILITY_INCOMPLETE: "warning",
    S.INADMISSIBLE: "danger",
    S.ADMISSIBLE: "primary",
    S.VALIDATION_SUBMITTED: "info",
    S.VALIDATION_INCOMPLETE: "warning",
    S.READY_FOR_JURY: "info",
    S.SCHEDULED: "info",
    S.DECIDED: "success",
    S.WITHDRAWN: "dark",
}
_STATE_TONES = {
    StatementState.EMPTY: "light",
    StatementState.IN_PROGRESS: "warning",
    StatementState.COMPLETE: "success",
}


@register.simple_tag
def status_badge(dossier, id=""):
    """The dossier's status as a badge, in its one colour (``{% status_badge dossier id="x" %}``)."""
    tone = _STATUS_TONES.get(dossier.status, "secondary")
    label = capfirst(dossier.get_status_display())
    if id:
        return format_html('<span class="badge text-bg-{}" id="{}">{}</span>', tone, id, label)
    return format_html('<span class="badge text-bg-{}">{}</span>', tone, label)


@register.simple_tag
def state_badge(state):
    return format_html(
        '<span class="badge text-bg-{}" data-autosave-state>{}</span>',
        _STATE_TONES.get(state, "light"),
        StatementState(state).label,
    )


@register.simple_tag
def active_dossier_for(user, certification):
    """The user's active dossier on this certification (any version), or None. One query."""
    if not user.is_authenticated:
        return None

    return Dossier.objects.active().filter(candidate=user, certification__lineage=certification.lineage).first()


@register.filter
def duration(months):
    return duration_label(months or 0)
