"""The project's Celery app, with every render delayed by VAE_TEST_RENDER_DELAY seconds, so that
a test can kill the worker in the middle of one: ``celery -A tests.documents.slow_worker worker``."""

import os
import time

from celery.signals import worker_process_init

from vae_portal.celery import app

__all__ = ["app"]


@worker_process_init.connect
def _slow_down(**kwargs):
    from documents import pdf

    delay = float(os.environ.get("VAE_TEST_RENDER_DELAY", "0"))
    real = pdf.render_document

    def slow(document):
        time.sleep(delay)
        return real(document)

    pdf.render_document = slow
