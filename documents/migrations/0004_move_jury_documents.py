"""Move the jury's PDFs (``juries.JuryDocument``) into ``GeneratedDocument``, row for row.

The rows and their files are kept rather than rendered again: a procès-verbal, a letter or an
attestation already sent is evidence, its SHA-256 may have been quoted; the file stays where it
is (its stored name does not change). The procès-verbal goes to its session; a letter or an
attestation to the convocation of its decision. Documents rendered before this migration are
not PDF/A (``pdfa`` False). A row still queued or running is queued again: the sweeper
publishes it once it is stale. Their ids change (the jury document links in pages are built
from the rows; none is in an e-mail).
"""

from django.db import migrations


def move(apps, schema_editor):
    JuryDocument = apps.get_model("juries", "JuryDocument")
    GeneratedDocument = apps.get_model("documents", "GeneratedDocument")
    taken = set()
    for old in JuryDocument.objects.select_related("decision").order_by("pk"):
        if old.decision_id is None:
            owner = {"session_id": old.session_id}
        else:
            owner = {"convocation_id": old.decision.convocation_id}
            key = (old.kind, old.decision.convocation_id)
            if key in taken:  # a revoked decision's document: the one in force wins (later pk)
                GeneratedDocument.objects.filter(kind=old.kind, convocation_id=key[1]).delete()
            taken.add(key)
        pending = old.status in ("queued", "running")
        new = GeneratedDocument.objects.create(
            kind=old.kind,
            **owner,
            status="queued" if pending else old.status,
            attempts=0 if pending else old.attempts,
            error=old.error,
            file=old.file.name if old.file else "",
            sha256=old.sha256,
            size=old.size,
            pages=old.pages,
            pdfa=False,
            queued_at=old.created_at,
            finished_at=old.finished_at,
        )
        GeneratedDocument.objects.filter(pk=new.pk).update(created_at=old.created_at)


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_document_owners"), ("juries", "0003_bounded_texts")]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
