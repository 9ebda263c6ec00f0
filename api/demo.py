"""Demo API token for APTIM: the seed prints it (a secret is never stored, so each run revokes
the previous demo token and creates a new one)."""

from __future__ import annotations

from api import tokens
from api.models import ApiToken, Scope
from certifications.models import Certifier

APTIM_SIRET = "33138377800031"
DEMO_NAME = "Démo (seed_demo)"


def seed() -> str | None:
    org = Certifier.objects.filter(siret=APTIM_SIRET).first()
    if org is None:
        return None
    for old in ApiToken.objects.live().filter(organisation=org, name=DEMO_NAME):
        tokens.revoke_token(old)
    return tokens.create_token(org, DEMO_NAME, list(Scope.values)).secret
