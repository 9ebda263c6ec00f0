"""What users read agrees with a person, without « (e) » or « (s) » forms: every model's field names
and choice labels (they show in forms, badges, lists and the admin)."""

import re

from django.apps import apps

BRACKETED = re.compile(r"\w\((e|s|es|x|ne|le)\)", re.IGNORECASE)


def _labels():
    for model in apps.get_models():
        if model._meta.app_label in {"auth", "admin", "contenttypes", "sessions", "axes", "django_celery_results"}:
            continue
        for field in model._meta.get_fields():
            if hasattr(field, "verbose_name"):
                yield f"{model.__name__}.{field.name}", str(field.verbose_name)
            for value, label in getattr(field, "choices", None) or []:
                yield f"{model.__name__}.{field.name}={value}", str(label)


def test_no_field_name_nor_choice_label_writes_an_agreement_in_brackets():
    assert [(where, label) for where, label in _labels() if BRACKETED.search(label)] == []
