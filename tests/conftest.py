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


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test land in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _badge_keys_in_tmp(settings, tmp_path):
    """Signing keys of a test's Open Badges land in its own temporary folder."""
    settings.BADGE_KEYS_DIR = tmp_path / "badge-keys"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing strength is Django's business, not these tests': keep the suite fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_login_lockout(settings):
    # django-axes needs the request at authenticate(); the test client's login() gives none.
    # Lockout itself is tested with AXES_ENABLED switched back on.
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttling counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _emails_sent_at_once(monkeypatch):
    """Every e-mail goes through one Celery task (core.tasks.send_email, see core.emails): here
    the task runs in the test's process as soon as it is published, and its e-mail lands in
    mail.outbox. Publishing still waits for the transaction to commit: a test sees the e-mails
    of a request inside ``django_capture_on_commit_callbacks(execute=True)``."""
    from core.tasks import send_email

    monkeypatch.setattr(
        send_email, "apply_async", lambda args=None, kwargs=None, **options: send_email.apply(args, kwargs)
    )


@pytest.fixture(autouse=True)
def _file_responses_closed(monkeypatch):
    """A download (FileResponse) keeps its file open until the response is closed: a WSGI server
    closes it once the body is sent, the test client only once a test has read the whole body.
    A test that checks the status or headers alone would leave the file to the garbage
    collector (a ResourceWarning, an error here): close every one the test received."""
    from django.core.signals import request_finished
    from django.db import close_old_connections
    from django.http import FileResponse

    received = []
    init = FileResponse.__init__

    def tracked(self, *args, **kwargs):
        init(self, *args, **kwargs)
        received.append(self)

    monkeypatch.setattr(FileResponse, "__init__", tracked)
    yield
    # As the test client does when it closes a response: closing sends request_finished, which
    # must not close the test's database connection.
    request_finished.disconnect(close_old_connections)
    try:
        for response in received:
            response.close()
    finally:
        request_finished.connect(close_old_connections)
