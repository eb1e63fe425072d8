"""Shared test set-up: hypothesis profiles, and the fixtures of the tests that talk to the
fake OpenAPI (``api``: a server for one test; ``kind``: each client, sync and async).

``ci`` (the default, and what ``make test`` and ``.ci/run`` use) is deterministic: the same
commit draws the same examples on every machine and every run, and no example database is
read or written, so a run never depends on what an earlier run found. ``fuzz`` (``make
fuzz``) hunts with a large random budget and a local database; whatever it finds is pinned
as an explicit example or fixture case before it is fixed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from .clients import KINDS, serving
from .fake_openapi import FakeOpenAPI

settings.register_profile(
    "ci",
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "5000")),
    derandomize=False,
    database=DirectoryBasedExampleDatabase(".hypothesis/examples"),
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def api() -> Iterator[FakeOpenAPI]:
    yield from serving()


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)
