"""Every list of the Django admin can be browsed by date and filtered by state and certification."""

from django.contrib import admin
from django.db import models


def _date_fields(model):
    return {f.name for f in model._meta.concrete_fields if isinstance(f, models.DateField | models.DateTimeField)}


def _filters(model_admin):
    return {
        item if isinstance(item, str) else item[0] for item in model_admin.list_filter if isinstance(item, str | tuple)
    }


def test_every_dated_model_has_a_date_hierarchy_and_a_date_filter():
    missing = [
        model.__name__
        for model, model_admin in admin.site._registry.items()
        if _date_fields(model) and not (model_admin.date_hierarchy and _filters(model_admin) & _date_fields(model))
    ]

    assert missing == []


def test_every_model_with_a_state_or_a_certification_can_be_filtered_by_it():
    missing = []
    for model, model_admin in admin.site._registry.items():
        names = {f.name for f in model._meta.concrete_fields}
        for field in ("status", "certification"):
            if field in names and field not in _filters(model_admin):
                missing.append(f"{model.__name__}.{field}")

    assert missing == []


PROJECT_APPS = {
    "accompaniment",
    "accounts",
    "accrochage",
    "api",
    "audit",
    "certifications",
    "credentials",
    "documents",
    "dossiers",
    "francevae",
    "juries",
    "messaging",
    "notifications",
    "privacy",
}


def test_every_list_of_the_project_has_filters():
    missing = [
        model.__name__
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PROJECT_APPS and not model_admin.list_filter
    ]

    assert missing == []


def test_every_model_linked_to_a_dossier_can_be_filtered_by_its_certification():
    missing = []
    for model, model_admin in admin.site._registry.items():
        dossier = next((f for f in model._meta.concrete_fields if f.name == "dossier"), None)
        if dossier is not None and not any(name.endswith("certification") for name in _filters(model_admin)):
            missing.append(model.__name__)

    assert missing == []


def test_the_proofs_of_one_certification_are_one_filter_away():
    from dossiers.models import Proof

    assert "dossier__certification" in _filters(admin.site._registry[Proof])


def test_a_hierarchy_and_filters_an_app_chose_are_kept():
    from certifications.models import Certification
    from vae_portal import admin_defaults

    site = admin.AdminSite(name="test")

    class Chosen(admin.ModelAdmin):
        date_hierarchy = "published_at"
        list_filter = ("level",)

    site.register(Certification, Chosen)
    admin_defaults.apply(site)

    chosen = site._registry[Certification]
    assert chosen.date_hierarchy == "published_at"
    assert chosen.list_filter == ("level", "status", "published_at")
