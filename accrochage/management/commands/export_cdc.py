import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accrochage import flux as flux_builder
from accrochage import services
from accrochage.errors import CdcError
from accrochage.models import Flux, FluxStatus, PassageAction
from certifications.models import Certifier


class Command(BaseCommand):
    help = "Construit le flux XML de déclaration des titulaires à la Caisse des Dépôts pour une période."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="SIRET, ou raison sociale sans SIRET")
        parser.add_argument("--from", dest="start", required=True, help="premier jour des jurys (AAAA-MM-JJ)")
        parser.add_argument("--to", dest="end", required=True, help="dernier jour des jurys (AAAA-MM-JJ)")
        parser.add_argument("--withdrawals", action="store_true", help="flux des retraits (décisions révoquées)")

    def handle(self, *args, **options):
        key = options["organisation"].strip()
        orgs = Certifier.objects.filter(siret=key) if key.isdigit() else Certifier.objects.filter(legal_name=key)
        if orgs.count() != 1:
            raise CommandError(f"Organisme introuvable ou ambigu : {key}")
        try:
            start, end = dt.date.fromisoformat(options["start"]), dt.date.fromisoformat(options["end"])
        except ValueError as exc:
            raise CommandError("Dates attendues au format AAAA-MM-JJ.") from exc
        action = PassageAction.DELETION if options["withdrawals"] else PassageAction.CREATION
        try:
            flux = services.request_flux(orgs.get(), start, end, None, action)
        except CdcError as exc:
            raise CommandError(str(exc)) from exc
        flux_builder.build(flux.pk)  # here and now, whether or not a worker also got the job
        flux = Flux.objects.get(pk=flux.pk)
        if flux.status != FluxStatus.DONE:
            raise CommandError(f"Flux en échec : {flux.error}")
        self.stdout.write(f"{flux.done} passage(s) : {flux.file.path}")
