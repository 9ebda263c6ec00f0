import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from certifications.models import Certification
from certifications.referential import create_certification, read_document

DEFAULT_FILE = settings.BASE_DIR / "fixtures" / "certifications.json"


class Command(BaseCommand):
    help = "Charge les certifications de référence (fixtures/certifications.json) ; sans effet si déjà chargées."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEFAULT_FILE))

    @transaction.atomic
    def handle(self, *args, file, **options):
        with open(file, encoding="utf-8") as fh:
            items = read_document(json.load(fh))
        for item in items:
            if Certification.objects.filter(slug=item["slug"]).exists():
                self.stdout.write(f"Déjà présente : {item['title']}")
                continue
            cert = create_certification(item, status=item["status"])
            self.stdout.write(f"Chargée : {cert}")
