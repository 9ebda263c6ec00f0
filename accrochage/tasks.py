"""Celery task of the CDC flux: thin, takes an id, idempotent (rules in ``accrochage.flux``)."""

from celery import shared_task

from accrochage import flux


@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_flux(flux_id: int) -> None:
    flux.build(flux_id)
