"""Security tests: the whole system, one running copy for the session with the fixtures of
tests/integration (a fixed clock, so the days typed are the same on every run); and the gateway
alone, its engine unreachable (``client``), with the unit tests' fixtures, for the doors that need
no engine."""

from tests.integration.conftest import gateway, system  # noqa: F401 - the whole system
from tests.unit.conftest import calendar, client, settings_env  # noqa: F401 - the gateway alone
