"""A bounded schemathesis run over the whole API v1, in-process through Django's WSGI application, with a
district officer's bearer token: no input the schema allows (nor the edge cases schemathesis derives from it:
huge numbers, nulls, empty and odd bodies) may give a 5xx.

Deterministic (hypothesis derandomized: the same examples every run) and bounded (FUZZ_EXAMPLES per
operation). Marked `fuzz`: `make test` runs it on SQLite; the PostgreSQL pass leaves it out."""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error

from steelwatch.core.management.commands.export_openapi import openapi_document
from steelwatch.testing import make_enterprise, make_user

FUZZ_EXAMPLES = int(os.environ.get("STEELWATCH_FUZZ_EXAMPLES", "12"))

schema = schemathesis.openapi.from_dict(openapi_document())
schema.app = get_wsgi_application()

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]


@pytest.fixture(scope="module")
def _same_connection():
    """Django's WSGI handler closes the database connection around each request; the test transaction
    must outlive them (Django's test client disconnects the same handlers)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(_same_connection, db):
    from steelwatch.accounts.models import ApiToken

    officer = make_user("district_office", "320412", username="fuzz_officer")
    make_enterprise("320412001")
    _, raw = ApiToken.issue(officer, "fuzz")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_input_gives_a_server_error(case, bearer):
    response = case.call(headers=bearer)
    case.validate_response(response, checks=[not_a_server_error])
