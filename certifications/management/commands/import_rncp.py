from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import ngettext

from certifications.rncp.importer import (
    ACTION_PLURALS,
    CREATED,
    FICHE_CERTIFIERS,
    SKIP_REASONS,
    SKIPPED,
    UNCHANGED,
    UPDATED,
    import_flux,
)
from certifications.rncp.parser import RncpFormatError


def _number(n: int | float, decimals: int = 0) -> str:
    """French thousands and decimal separators: 30\u202f000, 2\u202f512,4."""
    return number_format(n, decimal_pos=decimals, force_grouping=True)


class Command(BaseCommand):
    help = (
        "Importe des fiches du flux XML RNCP de France Compétences (versions 4.1 et 3.0, XML ou zip) "
        "comme brouillons de certification. Un fichier tronqué ou mal formé n'importe rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="flux XML ou archive zip le contenant")
        parser.add_argument(
            "--code",
            dest="codes",
            action="extend",
            nargs="+",
            metavar="CODE",
            help="n'importer que ces fiches (RNCP35203 RS5000…) ; une fiche inactive nommée ici est importée",
        )
        parser.add_argument("--only-vae", action="store_true", help="ignorer les fiches non ouvertes à la VAE")
        parser.add_argument("--dry-run", action="store_true", help="simuler : ne rien enregistrer")
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "accepter qu'une fiche change le certificateur d'une certification existante : sans cette "
                "option, une nouvelle version n'est créée que si la fiche nomme l'un des certificateurs "
                "de la version actuelle"
            ),
        )

    def handle(self, *args, file, codes, only_vae, dry_run, force, verbosity, **options):
        detailed = verbosity >= 2 or bool(codes)

        def show(outcome):
            if not detailed:
                return
            line = f"{outcome.number} {outcome.action_label}"
            if outcome.version:
                line += f" (v{outcome.version})"
            line += f" — {outcome.title[:80]}"
            if outcome.reason:
                line += f" : {outcome.reason}"
            self.stdout.write(line)
            for warning in outcome.warnings:
                self.stdout.write(f"    ⚠ {warning}")

        try:
            report = import_flux(
                file,
                codes=codes,
                only_vae=only_vae,
                dry_run=dry_run,
                acting=None if force else FICHE_CERTIFIERS,
                on_outcome=show,
            )
        except FileNotFoundError as exc:
            raise CommandError(f"Fichier introuvable : {file}") from exc
        except OSError as exc:
            raise CommandError(f"Lecture impossible de {file} : {exc.strerror or exc}.") from exc
        except RncpFormatError as exc:
            raise CommandError(f"{file} refusé, rien n'a été importé. {exc}") from exc

        rate = report.fiches_read / report.elapsed if report.elapsed else 0
        read = ngettext("%(n)s fiche lue", "%(n)s fiches lues", report.fiches_read)
        selected = ngettext("%(n)s sélectionnée", "%(n)s sélectionnées", report.selected)
        self.stdout.write(
            f"Flux RNCP {report.flux_version} : {read % {'n': _number(report.fiches_read)}} en "
            f"{_number(report.elapsed, 1)} s ({_number(rate)} fiches/s), "
            f"{selected % {'n': _number(report.selected)}}."
        )
        counts = report.counts
        self.stdout.write(
            " · ".join(
                f"{ACTION_PLURALS[action]} : {_number(counts[action])}"
                for action in (CREATED, UPDATED, UNCHANGED, SKIPPED)
            )
        )
        for key, count in report.skip_reasons.most_common():
            self.stdout.write(f"  ignorées, {SKIP_REASONS[key]} : {_number(count)}")
        if report.missing_codes:
            self.stdout.write(f"Introuvables dans le fichier : {', '.join(report.missing_codes)}")
        if dry_run:
            self.stdout.write("Simulation : rien n'a été enregistré.")
