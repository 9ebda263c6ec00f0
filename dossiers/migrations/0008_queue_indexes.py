"""The certifier's queue at scale: indexes for its filters and order, and its accent-insensitive
search on PostgreSQL (unaccent + a trigram index on the candidates' names and e-mail addresses,
through ``core.search``'s immutable ``vae_person_search``; on SQLite the function is registered in
Python, without index). The search index is on the accounts table, for the queue's search."""

import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models

from core.search import FUNCTION, POSTGRESQL_FUNCTION

SEARCH_INDEX = "accounts_user_person_search_trgm"


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(POSTGRESQL_FUNCTION)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON accounts_user "
        f"USING gin ({FUNCTION}(first_name, last_name, email) gin_trgm_ops)"
    )


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text, text, text)")


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0005_bounded_texts"),
        ("dossiers", "0007_civil_identity"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                models.F("certification"),
                models.F("status"),
                django.db.models.functions.comparison.Coalesce("validation_submitted_at", "feasibility_submitted_at"),
                models.F("id"),
                condition=models.Q(("feasibility_submitted_at__isnull", False)),
                name="dossier_queue_state_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                models.F("certification"),
                django.db.models.functions.comparison.Coalesce("validation_submitted_at", "feasibility_submitted_at"),
                models.F("id"),
                condition=models.Q(("feasibility_submitted_at__isnull", False)),
                name="dossier_queue_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["candidate", "certification"], name="dossier_candidate_cert_idx"),
        ),
        migrations.RunPython(create_search, drop_search),
    ]
