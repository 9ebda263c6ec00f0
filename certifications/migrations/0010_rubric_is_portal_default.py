from django.db import migrations, models

DEFAULT_RULE = "Chaque compétence du bloc est un critère de poids 1"
NONE = "Grille proposée par le portail (le référentiel de certification n’en publie pas)"
NAMED = (
    "Grille proposée par le portail (le référentiel de certification annonce une grille critériée sans la publier)"
)


def mark_portal_grilles(apps, schema_editor):
    """The reference certifications loaded before this field: their default grilles (made by the
    loader, one criterion per compétence) become what the fixture now says they are."""
    Rubric = apps.get_model("certifications", "Rubric")
    for rubric in Rubric.objects.filter(title__startswith="Grille critériée — ", pass_rule__startswith=DEFAULT_RULE):
        rubric.is_portal_default = True
        rubric.title = NAMED if rubric.certification.code == "RNCP35203" else NONE
        rubric.pass_rule = "Règle proposée par le portail : c" + rubric.pass_rule[1:]
        rubric.save(update_fields=["is_portal_default", "title", "pass_rule"])


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0009_registration_decision_and_jury_composition_dates"),
    ]

    operations = [
        migrations.AddField(
            model_name="rubric",
            name="is_portal_default",
            field=models.BooleanField(
                default=False,
                help_text="Le référentiel ne publie pas de grille : celle-ci est proposée par le portail. "
                "Décochez quand la grille est celle du certificateur.",
                verbose_name="grille proposée par le portail",
            ),
        ),
        migrations.RunPython(mark_portal_grilles, migrations.RunPython.noop),
    ]
