"""The administrator's part of the home page: is the installation healthy? The worker's
heartbeat, the broker's queue length, documents that failed to render and files the antivirus
could not scan. A fixed number of queries."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.urls import reverse

from documents.enums import DocumentStatus
from documents.models import GeneratedDocument
from dossiers.enums import ScanStatus
from dossiers.models import Proof
from vae_portal import health


@dataclass(frozen=True)
class Health:
    worker: dict
    queue_length: int | None  # None: the broker cannot be asked
    failed_documents: int
    failed_scans: int
    documents_url: str


def queue_length() -> int | None:
    """Messages waiting in the Celery queue: Redis, the default queue's length; the filesystem
    transport (no Redis configured), the files waiting in its folder. None when the broker is
    another one or cannot be reached within a second."""
    from vae_portal.celery import app  # the Celery app only for this check

    url = app.conf.broker_url or ""
    if url.startswith("filesystem://"):
        folder = (app.conf.broker_transport_options or {}).get("data_folder_in")
        try:
            return sum(1 for entry in os.scandir(folder) if entry.is_file()) if folder else None
        except OSError:
            return None
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    import redis

    client = redis.Redis.from_url(
        url, socket_connect_timeout=health.BROKER_TIMEOUT, socket_timeout=health.BROKER_TIMEOUT
    )
    try:
        return int(client.llen(app.conf.task_default_queue or "celery"))
    except (redis.RedisError, OSError):
        return None
    finally:
        client.close()


def installation_health() -> Health:
    return Health(
        worker=health.check_worker(),
        queue_length=queue_length(),
        failed_documents=GeneratedDocument.objects.filter(status=DocumentStatus.FAILED).count(),
        failed_scans=Proof.objects.filter(scan_status=ScanStatus.FAILED).count(),
        documents_url=reverse("admin:documents_generateddocument_changelist")
        + f"?status__exact={DocumentStatus.FAILED}",
    )
