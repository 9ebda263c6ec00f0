import io

import pytest
from django.core.management import call_command

from credentials import demo, verification
from credentials.models import Badge

pytestmark = pytest.mark.django_db


def test_the_demo_gives_candidat9_and_candidat10_their_badges_once():
    call_command("seed_demo", force=True, stdout=io.StringIO())
    demo.seed()
    demo.seed()
    by_candidate = {
        email: sorted(
            o or 0 for o in Badge.objects.filter(candidate__email=email).values_list("block__order", flat=True)
        )
        for email in ("candidat9@vae.example", "candidat10@vae.example")
    }
    assert by_candidate == {"candidat9@vae.example": [1], "candidat10@vae.example": [0, 1, 2]}
    assert {verification.verify(b).state for b in Badge.objects.all()} == {verification.VERIFIED}
