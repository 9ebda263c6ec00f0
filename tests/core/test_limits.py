"""Every text a person writes in the portal is bounded (core.limits)."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

from core import limits

PROJECT_APPS = {
    "accounts",
    "api",
    "audit",
    "backoffice",
    "certifications",
    "core",
    "documents",
    "dossiers",
    "francevae",
    "juries",
    "privacy",
    "vae_portal",
}
# TextFields nobody types into: written by the portal itself, or copied verbatim from France
# Compétences' flux (whose reading is bounded by RNCP_TEXT_NODE_MAX_CHARS).
WRITTEN_BY_THE_PORTAL = {
    "api.WebhookDelivery.error",
    "api.WebhookDelivery.response_excerpt",  # cut by the sender (api/webhooks.py)
    "api.WebhookMessage.body",
    "audit.AuditEvent.comment",
    "certifications.Block.raw_assessment",
    "certifications.Block.raw_competencies",
    "certifications.CertificationEvent.comment",
    "certifications.RncpUpload.error",
    "documents.GeneratedDocument.error",
    "francevae.Connection.last_error",
    "francevae.Connection.token_encrypted",
    "francevae.OutboxMessage.last_error",
    "francevae.SyncEntry.answer",
    "juries.JuryDocument.error",
}


def text_fields():
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS:
            for field in model._meta.get_fields():
                if isinstance(field, models.TextField):
                    yield f"{model._meta.label}.{field.name}", field


def test_every_text_field_a_person_fills_has_a_bounded_length_checked_by_forms_and_full_clean():
    unbounded = []
    for name, field in text_fields():
        if name in WRITTEN_BY_THE_PORTAL:
            continue
        checked = any(isinstance(v, MaxLengthValidator) and v.limit_value == field.max_length for v in field.validators)
        if not field.max_length or not checked:
            unbounded.append(name)
    assert unbounded == []
    assert {name for name, _field in text_fields()} >= WRITTEN_BY_THE_PORTAL  # the list stays true


@pytest.mark.parametrize("name", ["dossiers.CompetencyStatement.narrative", "dossiers.Experience.activities"])
def test_the_limits_are_generous_but_bounded(name):
    field = dict(text_fields())[name]
    assert 10_000 <= field.max_length <= 20_000


def test_a_text_past_its_limit_is_refused_in_french_saying_how_long_it_is():
    limits.check("x" * 10, 10, "Le motif")
    with pytest.raises(ValidationError) as refused:
        limits.check("x" * 12_345, 10_000, "Le motif")
    message = refused.value.messages[0].replace("\u202f", " ").replace("\xa0", " ")
    assert message.startswith("Le motif compte 12 345 caractères ; 10 000 au plus sont acceptés.")
    assert "ce qui était déjà enregistré est conservé" in message
