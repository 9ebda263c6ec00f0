import io

import pytest
from django.core.management import call_command

from accrochage import demo
from accrochage.models import CdcAccount, Flux, FluxStatus, Passage, PassageStatus

pytestmark = pytest.mark.django_db


def test_the_demo_gives_askoria_its_identifiers_and_one_flux_once(settings, tmp_path):
    settings.CDC_KIT_DIR = tmp_path / "kit"
    call_command("seed_demo", force=True, stdout=io.StringIO())
    demo.seed()
    demo.seed()
    assert CdcAccount.objects.filter(organisation__legal_name__icontains="Askoria").count() == 1
    flux = Flux.objects.get()
    assert flux.status == FluxStatus.DONE and flux.total == 1
    assert Passage.objects.get().status == PassageStatus.SENT
    assert Passage.objects.get().dossier.candidate.email == "candidat10@vae.example"
