"""Purge abandoned drafts: notice them by e-mail first, delete them with their files later.

    python manage.py purge_drafts [--days N] [--notice-days M] [--dry-run]

Rules in ``privacy.retention``. Run daily by Celery beat (``CELERY_BEAT_SCHEDULE``).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from privacy.retention import purge_drafts


class Command(BaseCommand):
    help = "Avertit puis supprime les brouillons et dossiers abandonnés restés inactifs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.DRAFT_RETENTION_DAYS,
            help="Jours d'inactivité avant suppression (défaut : DRAFT_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--notice-days",
            type=int,
            default=settings.DRAFT_PURGE_NOTICE_DAYS,
            help="Jours entre l'avis et la suppression (défaut : DRAFT_PURGE_NOTICE_DAYS).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Dire ce qui serait fait, sans rien changer.")

    def handle(self, *args, days: int, notice_days: int, dry_run: bool, **options):
        if not 0 < notice_days < days:
            raise CommandError("--notice-days doit être positif et inférieur à --days.")
        report = purge_drafts(days=days, notice_days=notice_days, dry_run=dry_run)
        prefix = "[simulation] " if dry_run else ""
        for pk in report.purged:
            self.stdout.write(f"{prefix}supprimé : dossier {pk}")
        for pk in report.noticed:
            self.stdout.write(f"{prefix}avis envoyé : dossier {pk}")
        summary = f"{len(report.noticed)} avis envoyé(s), {len(report.purged)} dossier(s) supprimé(s)."
        self.stdout.write(self.style.SUCCESS(prefix + summary))
