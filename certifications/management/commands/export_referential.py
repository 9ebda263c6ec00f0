import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from certifications.models import Certification
from certifications.referential import export_document


class Command(BaseCommand):
    help = "Écrit sur la sortie standard le référentiel des certifications demandées (format JSON documenté)."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="codes RNCP/RS ou identifiants (slug)")
        parser.add_argument("--all", action="store_true", help="toutes les certifications, toutes versions")

    def handle(self, *args, codes, all, **options):
        if all:
            certifications = list(Certification.objects.order_by("title", "version"))
        elif codes:
            certifications = []
            for code in codes:
                # The published version when there is one, else the latest.
                found = Certification.objects.filter(Q(code__iexact=code) | Q(slug=code)).order_by("-version")
                chosen = found.filter(status="published").first() or found.first()
                if chosen is None:
                    raise CommandError(f"Aucune certification avec le code ou l'identifiant {code!r}.")
                certifications.append(chosen)
        else:
            raise CommandError("Donnez au moins un code ou identifiant, ou --all.")
        self.stdout.write(json.dumps(export_document(certifications), ensure_ascii=False, indent=2))
