"""The dossiers app's Celery tasks, declared beside their service (``dossiers.scanning``) and
imported here for Celery's autodiscovery, and the beat's pass over the certifiers' deadlines."""

from celery import shared_task

from dossiers.scanning import scan_file, sweep_scans

__all__ = ["check_feasibility_deadlines", "scan_file", "sweep_scans"]


@shared_task
def check_feasibility_deadlines() -> tuple[int, int]:
    """Remind the certifiers before their two months, and record the implicit recevabilité of the
    requests past them (``services.check_feasibility_deadlines``)."""
    from dossiers import services

    return services.check_feasibility_deadlines()
