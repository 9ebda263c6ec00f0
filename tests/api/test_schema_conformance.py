"""schemathesis against the live API (in process, through Django's WSGI application) with a demo
token: for every operation, no 5xx, and every answer conforms to the OpenAPI document (status
code declared, content type, body schema). Bounded to a few examples per operation."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dossiers.enums import DossierStatus as S
from tests.api.conftest import ALL_SCOPES
from tests.factories import dossier_in_state, make_certification

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 8


@pytest.fixture(autouse=True)
def _connection_outlives_requests():
    """As Django's test client does: the test's connection (and its transaction) outlives requests."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def demo_token(db):
    from api import tokens

    cert = make_certification(published=True)
    dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert)
    dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)
    return tokens.create_token(cert.certifiers.first(), "schemathesis", ALL_SCOPES).secret


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT = (1_000_000, 60)


def _schema():
    from django.core.wsgi import get_wsgi_application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


schema = _schema()


@schema.parametrize()
@hypothesis_settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_its_schema_says(case, demo_token, db):
    case.call_and_validate(headers={"Authorization": f"Bearer {demo_token}"}, checks=CHECKS)
