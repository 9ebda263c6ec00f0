"""The certifications app's Celery tasks, declared beside their service
(``certifications.rncp.uploads``) and imported here for Celery's autodiscovery."""

from certifications.rncp.uploads import parse_rncp_upload, sweep_rncp_uploads

__all__ = ["parse_rncp_upload", "sweep_rncp_uploads"]
