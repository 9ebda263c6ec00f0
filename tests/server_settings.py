"""Settings of a gunicorn started by the fault tests or the load bench: the production settings
(DEBUG off, everything from the environment) except for static files, which are named without
the manifest ``collectstatic`` would build (14 s) — the tests and the bench never fetch them."""

from vae_portal.settings import *  # noqa: F403
from vae_portal.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
