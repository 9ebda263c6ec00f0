"""Demo: point one organisation's France VAE connection at the fake server (``francevae.fake_server``)
when ``FRANCE_VAE_FAKE=1``; otherwise do nothing. The fake must run on FRANCE_VAE_FAKE_PORT
(default 8765): ``python -m francevae.fake_server --port 8765 --token fake-token``."""

from __future__ import annotations

import os

from certifications.models import Certifier
from francevae import services
from francevae.fake_server import PREFIX


def seed(organisation: Certifier | None = None):
    if os.environ.get("FRANCE_VAE_FAKE") != "1":
        return None
    organisation = organisation or Certifier.objects.order_by("pk").first()
    if organisation is None:
        return None
    port = int(os.environ.get("FRANCE_VAE_FAKE_PORT", "8765"))
    return services.save_connection(
        organisation,
        base_url=f"http://127.0.0.1:{port}{PREFIX}",
        authority_id="demo-certificateur",
        token="fake-token",
        invite_candidates=False,
    )
