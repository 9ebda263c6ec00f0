"""Every app's demo data, in order (``make seed``). It sits in ``vae_portal``, the top layer,
since it calls every app."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accompaniment import demo as accompaniment_demo
from accounts import demo
from accrochage import demo as accrochage_demo
from api import demo as api_demo
from backoffice import demo as backoffice_demo
from certifications import demo as certifications_demo
from credentials import demo as credentials_demo
from documents import demo as documents_demo
from dossiers import demo as dossiers_demo
from francevae import demo as francevae_demo
from juries import demo as juries_demo
from messaging import demo as messaging_demo
from notifications import demo as notifications_demo
from vae_portal import bulk_demo
from vae_portal.demo_clock import dossiers_opened_while_registered


class Command(BaseCommand):
    help = "Crée les comptes et données de démonstration (idempotent). Refusé hors DEBUG sauf --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="autoriser l'exécution quand DEBUG est désactivé")
        parser.add_argument(
            "--candidates",
            type=int,
            default=0,
            help="ajouter N candidats générés (un dossier chacun, tous états, jurys) : voir vae_portal/bulk_demo.py",
        )
        parser.add_argument("--seed", type=int, default=1, help="graine des candidats générés (idempotent par graine)")

    def handle(self, *args, force, candidates=0, seed=1, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG est désactivé : les comptes de démonstration ont un mot de passe public. "
                "Utilisez --force si c'est vraiment voulu."
            )
        call_command("load_certifications", stdout=self.stdout)
        # RNCP35203's registration ended on 20 January 2026: its demo dossiers were opened before.
        with dossiers_opened_while_registered():
            self._seed(candidates, seed)

    def _seed(self, candidates: int, seed: int) -> None:
        rows = demo.seed_admin() + certifications_demo.seed() + demo.seed_people()
        rows += backoffice_demo.seed()
        rows += juries_demo.seed()
        rows += credentials_demo.seed() + accrochage_demo.seed()
        self.stdout.write(self.style.SUCCESS(f"Comptes de démonstration (mot de passe : {demo.DEMO_PASSWORD}) :"))
        for email, role in rows:
            self.stdout.write(f"  {email:32} {role}")
        for line in dossiers_demo.seed():
            self.stdout.write(f"  dossier créé — {line}")
        for email, what in accompaniment_demo.seed():
            self.stdout.write(f"  {email:32} {what}" if email else f"  accompagnement — {what}")
        for line in documents_demo.seed():
            self.stdout.write(f"  PDF demandé — {line}")
        for line in messaging_demo.seed():
            self.stdout.write(f"  messages — {line}")
        secret = api_demo.seed()
        if secret:
            self.stdout.write(f"  jeton d'API APTIM (tous les droits) : {secret}")
        connection = francevae_demo.seed()
        if connection is not None:
            self.stdout.write(f"  France VAE (faux serveur) relié pour : {connection.organisation}")
        for line in notifications_demo.seed():
            self.stdout.write(f"  notifications — {line}")
        if candidates:
            result = bulk_demo.seed(candidates, seed, log=self.stdout.write)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Candidats générés (graine {seed}) : {result.created} créés, {result.existing} déjà présents, "
                    f"{result.seconds:.0f} s"
                )
            )
