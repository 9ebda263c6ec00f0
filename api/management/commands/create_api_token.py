from django.core.management.base import BaseCommand, CommandError

from api import tokens
from certifications.models import Certifier
from core.errors import DomainError


class Command(BaseCommand):
    help = "Crée un jeton d'API pour un organisme certificateur et l'affiche une seule fois (seul son hash reste)."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="SIRET de l'organisme certificateur")
        parser.add_argument(
            "--scopes", required=True, help="droits séparés par des virgules : lecture,decisions,jury,referentiels"
        )
        parser.add_argument("--name", default="Jeton créé en ligne de commande", help="le système qui l'utilisera")

    def handle(self, *args, organisation, scopes, name, **options):
        org = Certifier.objects.filter(siret=organisation.strip()).first() if organisation.strip() else None
        if org is None:
            raise CommandError(f"Aucun organisme certificateur n'a le SIRET {organisation!r}.")
        try:
            new = tokens.create_token(org, name, scopes)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Jeton « {new.token.name} » pour {org} (droits : {new.token.get_scopes_display()}).")
        self.stdout.write("Copiez-le maintenant : il ne sera plus jamais affiché.")
        self.stdout.write(new.secret)
