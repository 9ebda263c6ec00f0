"""The candidate's civil identity moves from ``accrochage`` (``HolderIdentity``) down to
``dossiers`` (``CivilIdentity``): one place for it, read by the dossier de faisabilité and by the
declaration to the Caisse des Dépôts. The table and its rows are kept: this migration adopts
the table in its state, renames it and adds the nationality; ``accrochage.0002`` drops the old
model from its own state (no database change)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0006_feasibility"),
        ("accrochage", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CivilIdentity",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("birth_name", models.CharField(max_length=60, verbose_name="nom de naissance")),
                        ("usage_name", models.CharField(blank=True, max_length=60, verbose_name="nom d'usage")),
                        ("first_name1", models.CharField(max_length=60, verbose_name="premier prénom")),
                        ("first_name2", models.CharField(blank=True, max_length=60, verbose_name="deuxième prénom")),
                        ("first_name3", models.CharField(blank=True, max_length=60, verbose_name="troisième prénom")),
                        (
                            "sex",
                            models.CharField(
                                choices=[("F", "féminin"), ("M", "masculin")], max_length=1, verbose_name="sexe (état civil)"
                            ),
                        ),
                        ("birth_date", models.DateField(verbose_name="date de naissance")),
                        ("born_in_france", models.BooleanField(default=True, verbose_name="né(e) en France")),
                        (
                            "birth_insee_code",
                            models.CharField(blank=True, max_length=5, verbose_name="code INSEE de la commune de naissance"),
                        ),
                        (
                            "birth_postcode",
                            models.CharField(blank=True, max_length=5, verbose_name="code postal de la commune de naissance"),
                        ),
                        ("birth_city", models.CharField(blank=True, max_length=40, verbose_name="commune de naissance")),
                        (
                            "birth_country_code",
                            models.CharField(default="FRA", max_length=3, verbose_name="code du pays de naissance"),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="modifiée le")),
                        (
                            "dossier",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="civil_identity",
                                to="dossiers.dossier",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "identité civile",
                        "verbose_name_plural": "identités civiles",
                        "db_table": "accrochage_holderidentity",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="civilidentity", table=None),
        migrations.AddField(
            model_name="civilidentity",
            name="nationality",
            field=models.CharField(blank=True, max_length=60, verbose_name="nationalité"),
        ),
    ]
