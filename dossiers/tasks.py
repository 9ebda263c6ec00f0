"""The dossiers app's Celery tasks, declared beside their service (``dossiers.scanning``) and
imported here for Celery's autodiscovery."""

from dossiers.scanning import scan_file, sweep_scans

__all__ = ["scan_file", "sweep_scans"]
