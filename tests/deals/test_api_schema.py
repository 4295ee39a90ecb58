"""Property-based tests of every API operation against the project's own OpenAPI schema."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error, response_schema_conformance

from config.wsgi import application
from deals.models import Deal, ReviewState
from tests.factories import make_deal

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture(autouse=True)
def records(db, monkeypatch):
    """A few deals, a tombstone and a rejected deal, served without throttling."""
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute", "user": "100000/minute"}
    )
    # Requests go through the WSGI handler, whose signals would close the test transaction's connection.
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    survivor = make_deal("US", ["UA", "PL"], category="air_defense")
    merged = make_deal("DE", "UA")
    rejected = make_deal("FR", "IN")
    Deal.objects.filter(pk=merged.pk).update(merged_into=survivor)
    Deal.objects.filter(pk=rejected.pk).update(review_state=ReviewState.REJECTED)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def analyst_headers(analyst):
    return {"Authorization": f"Token {Token.objects.create(user=analyst).key}"}


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_without_server_error_and_as_documented(case, analyst_headers):
    case.call_and_validate(headers=analyst_headers, checks=[not_a_server_error, response_schema_conformance])
