import io
import os

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told it is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def reference_certifications(db):
    """The five reference certifications, loaded from fixtures/certifications.json."""
    call_command("load_certifications", stdout=io.StringIO())
    from certifications.models import Certification

    return Certification.objects.all()
