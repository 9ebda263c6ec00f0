"""One rule for every list of the Django admin: a model that carries dates has a date hierarchy
and a date filter; a model with a state or a certification can be filtered by them.

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


def _date_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.DateField | models.DateTimeField)]


def _filter_names(list_filter) -> set[str]:
    return {item if isinstance(item, str) else item[0] for item in list_filter if isinstance(item, str | tuple)}


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
        if "certification" in names and "certification" not in present:
            extra.append("certification")
        if date and not present & set(_date_fields(model)):
            extra.append(model_admin.date_hierarchy)
        if extra:
            model_admin.list_filter = (*model_admin.list_filter, *extra)
