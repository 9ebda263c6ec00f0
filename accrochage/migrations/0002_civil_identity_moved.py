"""``HolderIdentity`` became ``dossiers.CivilIdentity`` (``dossiers.0006``, which kept the table
and its rows): it leaves this app's state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accrochage", "0001_initial"),
        ("dossiers", "0007_civil_identity"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="HolderIdentity")],
            database_operations=[],
        ),
    ]
