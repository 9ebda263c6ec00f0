from django.core.management.base import BaseCommand

from credentials import services
from juries.enums import MinutesStatus
from juries.models import JurySession


class Command(BaseCommand):
    help = "Émet les Open Badges manquants des sessions dont le procès-verbal est définitif (rattrapage)."

    def handle(self, *args, **options):
        total = 0
        for session_id in JurySession.objects.filter(minutes__status=MinutesStatus.FINAL).values_list("pk", flat=True):
            total += len(services.issue_for_session(session_id))
        self.stdout.write(f"{total} badge(s) émis.")
