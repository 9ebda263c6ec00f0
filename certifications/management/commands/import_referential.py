import json

from django.core.management.base import BaseCommand, CommandError

from certifications.referential import ReferentialFormatError, import_document


class Command(BaseCommand):
    help = (
        "Importe un référentiel (format JSON documenté) comme brouillon : nouvelle version si la "
        "certification existe déjà. Un fichier invalide n'importe rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as fh:
                data = json.load(fh)
        except OSError as exc:
            raise CommandError(f"Lecture impossible de {file} : {exc.strerror}.") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{file} n'est pas un JSON valide (ligne {exc.lineno}, colonne {exc.colno}) : {exc.msg}."
            ) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} n'est pas encodé en UTF-8.") from exc
        try:
            created = import_document(data)
        except ReferentialFormatError as exc:
            raise CommandError(f"Fichier refusé, rien n'a été importé. {exc}") from exc
        for cert in created:
            self.stdout.write(f"Brouillon créé : {cert} (id {cert.pk})")
