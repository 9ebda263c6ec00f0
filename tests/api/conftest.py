import pytest

from api import tokens
from api.models import Scope

ALL_SCOPES = list(Scope.values)


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def token_for():
    """``token_for(organisation, scopes=...)`` → the token's secret."""

    def make(organisation, scopes=ALL_SCOPES, name="SI de test"):
        return tokens.create_token(organisation, name, scopes).secret

    return make
