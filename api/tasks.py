"""Celery tasks of the API: thin, take ids, idempotent (the rules live in ``api.webhooks``)."""

from celery import shared_task

from api import webhooks


@shared_task(
    bind=True,
    acks_late=True,  # a worker killed mid-delivery gives the message back: sent again, not lost
    reject_on_worker_lost=True,
    max_retries=None,  # the retries stop 24 hours after the event (webhooks.run), not after N
    soft_time_limit=60,
    time_limit=90,
)
def deliver_webhook(self, message_id: int, replay: bool = False) -> None:
    retry_in = webhooks.run(message_id, replay=replay)
    if retry_in is not None:
        raise self.retry(countdown=retry_in, kwargs={"message_id": message_id, "replay": False}, args=())


@shared_task
def sweep_webhooks() -> int:
    return webhooks.sweep()
