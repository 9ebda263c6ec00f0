import hashlib
import time

from django.core.management.base import BaseCommand, CommandError

from documents import pdf
from documents.enums import DocumentKind
from dossiers.models import Dossier


class Command(BaseCommand):
    help = (
        "Produit le PDF d'un dossier, sans passer par le worker : par défaut le dernier dossier de validation "
        "déposé, sinon la dernière demande de recevabilité ; --kind preview rend le brouillon actuel."
    )

    def add_arguments(self, parser):
        parser.add_argument("dossier_id", type=int)
        parser.add_argument("-o", "--output", required=True, help="fichier PDF à écrire")
        parser.add_argument("--kind", choices=[k.value for k in DocumentKind], help="nature du document")
        parser.add_argument("--snapshot", type=int, help="numéro de la version déposée (la dernière par défaut)")

    def handle(self, *args, dossier_id, output, kind, snapshot, **options):
        dossier = Dossier.objects.filter(pk=dossier_id).first()
        if dossier is None:
            raise CommandError(f"Dossier {dossier_id} introuvable.")
        started = time.perf_counter()
        if kind == DocumentKind.PREVIEW:
            rendered = pdf.render_draft(dossier)
        else:
            snapshots = dossier.snapshots.filter(kind=kind) if kind else dossier.snapshots.all()
            if snapshot:
                snapshots = snapshots.filter(number=snapshot)
            # "validation" sorts after "feasibility": the later stage comes first.
            chosen = snapshots.order_by("-kind", "-number").first()
            if chosen is None:
                raise CommandError("Aucune version déposée ne correspond : essayez --kind preview pour le brouillon.")
            kind = chosen.kind  # the snapshot kinds are document kinds too
            rendered = pdf.render_snapshot(chosen)
        with open(output, "wb") as fh:
            fh.write(rendered.pdf)
        self.stdout.write(
            f"{output} : {DocumentKind(kind).label}, {rendered.pages} pages, {len(rendered.pdf)} octets, "
            f"PDF/A-3b {'oui' if rendered.pdfa else 'non'}, SHA-256 {hashlib.sha256(rendered.pdf).hexdigest()}, "
            f"{time.perf_counter() - started:.1f} s"
        )
