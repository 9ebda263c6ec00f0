"""Celery tasks of the France VAE connector: thin, take ids, idempotent (rules in ``services``)."""

from celery import shared_task
from django.utils import timezone

from francevae import services
from francevae.client import Transient
from francevae.enums import MessageStatus
from francevae.models import Connection


@shared_task(ignore_result=True)
def sync_all() -> None:
    """Run by celery beat: one pull per active connection."""
    for pk in Connection.objects.filter(paused=False).exclude(token_encrypted="").values_list("pk", flat=True):
        sync_connection.delay(pk)


@shared_task(ignore_result=True, acks_late=True)
def sync_connection(connection_id: int) -> dict | None:
    connection = Connection.objects.filter(pk=connection_id, paused=False).first()
    if connection is None:
        return None
    try:
        return services.pull(connection)
    except (Transient, services.ConnectorError):
        return None  # recorded on the connection; beat tries again at the next round


@shared_task(bind=True, ignore_result=True, acks_late=True, max_retries=None)
def deliver_message(self, message_id: int) -> None:
    message = services.deliver(message_id)
    if message.status == MessageStatus.PENDING and message.next_attempt_at is not None:
        countdown = max(1, (message.next_attempt_at - timezone.now()).total_seconds())
        raise self.retry(countdown=countdown)


@shared_task(ignore_result=True)
def flush_outbox() -> None:
    """Run by celery beat, and when a connection is resumed: messages due again (a lost task, a
    retry whose time came, a paused connection) are queued once more."""
    for pk in services.due_messages().values_list("pk", flat=True)[:500]:
        deliver_message.delay(pk)
