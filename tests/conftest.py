import os

import pytest


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Give each test run its own PostgreSQL test database, so concurrent runs never collide."""
    from django.conf import settings

    suffix = os.environ.get("TEST_DB_SUFFIX") or str(os.getpid())
    for db in settings.DATABASES.values():
        if db["ENGINE"].endswith("postgresql"):
            db.setdefault("TEST", {})["NAME"] = f"test_{db['NAME']}_{suffix}"


@pytest.fixture
def analyst(django_user_model):
    """A user in the analysts group."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("analyst", password="analyst-pass-123")
    group, _ = Group.objects.get_or_create(name="analysts")
    user.groups.add(group)
    return user


@pytest.fixture(autouse=True)
def generous_throttles(monkeypatch):
    """API rates high enough that only the throttling test, which sets its own, ever meets them:
    with Redis as the cache, request counts outlive a test."""
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "10000/minute", "user": "10000/minute"}
    )
