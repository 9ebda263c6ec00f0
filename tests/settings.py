"""Settings of the test run (pyproject's DJANGO_SETTINGS_MODULE) and of the Celery workers the
tests start (tests/documents/test_worker.py): the production settings plus what only tests need.
"""

from vae_portal.env import env_str
from vae_portal.settings import *  # noqa: F403
from vae_portal.settings import DATA_DIR, DATABASES

# The SQLite test database is a file, not memory, so that a Celery worker started by the tests
# (a second process) opens the same database (pytest-xdist suffixes it per process: _gw0, …).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES = {"default": {**DATABASES["default"], "TEST": {"NAME": str(DATA_DIR / "test_db.sqlite3")}}}
# VAE_TEST_DB_NAME points such a worker at the test database (SQLite or PostgreSQL) of the test
# that started it.
if env_str("VAE_TEST_DB_NAME"):
    DATABASES = {"default": {**DATABASES["default"], "NAME": env_str("VAE_TEST_DB_NAME")}}

# Every request of a signed-in test client writes its session, the worst case of the sliding
# session (at most once a minute in use): pinned query counts stay the same whatever the order
# of requests. tests/vae_portal/test_sliding_session.py and the autosave's count set it back.
SESSION_REFRESH_SECONDS = 0
