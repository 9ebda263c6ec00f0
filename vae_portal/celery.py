import logging
import os
from pathlib import Path

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vae_portal.settings")

app = Celery("vae_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class Heartbeat(bootsteps.StartStopStep):
    """Touches ``settings.WORKER_HEARTBEAT_FILE`` every 30 s while the worker runs, for a health
    check that needs no broker round trip (e.g. ``find data/worker-heartbeat -mmin -2``)."""

    requires = {"celery.worker.components:Timer"}
    interval = 30

    def __init__(self, worker, **kwargs):
        self.tref = None

    def start(self, worker):
        from django.conf import settings  # read once the worker runs: this module loads before the settings

        path = Path(settings.WORKER_HEARTBEAT_FILE)

        def beat():
            try:
                path.write_text(f"{os.getpid()}\n")
            except OSError:
                logging.getLogger(__name__).warning("Cannot write the worker heartbeat to %s", path)

        beat()
        self.tref = worker.timer.call_repeatedly(self.interval, beat)

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()


app.steps["worker"].add(Heartbeat)
