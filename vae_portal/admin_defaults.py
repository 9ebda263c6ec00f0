"""One rule for every list of the Django admin: a model that carries dates has a date hierarchy
and a date filter; a model with a state or a certification can be filtered by them, and so can a
model linked to a certification through its dossier (or session, bloc, grille…): the proofs,
transitions or decisions of one certification are what a certifier or an admin looks for.

Applied to every registered ``ModelAdmin`` once all apps are ready (``VaePortalConfig.ready``),
so that each app's ``admin.py`` need not repeat it and a new model gets it too. A ``ModelAdmin``
that sets its own ``date_hierarchy`` keeps it; filters are only added, never removed.
"""

from django.contrib import admin
from django.db import models

# The date that best places a row in time, in this order of preference.
PREFERRED_DATES = (
    "created_at",
    "uploaded_at",
    "submitted_at",
    "issued_at",
    "decided_at",
    "signed_at",
    "declared_at",
    "received_at",
    "imported_at",
    "awarded_on",
    "starts_at",
    "started_at",
    "date_joined",
    "date",
    "start_date",
)
STATE_FIELDS = ("status", "state")
# The relation through which a row belongs to a certification, in this order of preference.
CERTIFICATION_PATHS = ("dossier", "session", "convocation", "block", "rubric")


def _date_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.DateField | models.DateTimeField)]


def _filter_names(list_filter) -> set[str]:
    return {item if isinstance(item, str) else item[0] for item in list_filter if isinstance(item, str | tuple)}


def certification_filter_for(model) -> str | None:
    """``certification``, or ``<relation>__certification`` for a model that reaches one through a
    foreign key (``dossier__certification``); ``None`` for a model that has none."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    if "certification" in fields:
        return "certification"
    for name in CERTIFICATION_PATHS:
        field = fields.get(name)
        if isinstance(field, models.ForeignKey) and any(
            f.name == "certification" for f in field.related_model._meta.concrete_fields
        ):
            return f"{name}__certification"
    return None


def hierarchy_for(model) -> str | None:
    dates = _date_fields(model)
    if not dates:
        return None
    return next((name for name in PREFERRED_DATES if name in dates), dates[0])


def apply(site: admin.AdminSite = admin.site) -> None:
    for model, model_admin in site._registry.items():
        date = hierarchy_for(model)
        if date and not model_admin.date_hierarchy:
            model_admin.date_hierarchy = date
        names = {f.name for f in model._meta.concrete_fields}
        present = _filter_names(model_admin.list_filter)
        extra = [name for name in STATE_FIELDS if name in names and name not in present]
        certification = certification_filter_for(model)
        if certification and not any(name.endswith("certification") for name in present):
            extra.append(certification)
        if date and not present & set(_date_fields(model)):
            extra.append(model_admin.date_hierarchy)
        if extra:
            model_admin.list_filter = (*model_admin.list_filter, *extra)
