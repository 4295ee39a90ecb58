"""The admin works for an analyst; settings refuse unsafe or malformed configuration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_deal

PROJECT_ROOT = Path(__file__).resolve().parents[2]

ADMIN_MODELS = [
    "deals/party", "deals/category", "deals/currency", "deals/exchangerate", "deals/article",
    "deals/deal", "deals/evidence", "deals/statuschange", "ingest/feed", "ingest/ingestjob",
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_changelist_renders_for_every_model(admin_client, model):
    make_deal("KR", "PL", item="K9 self-propelled howitzers", category="artillery_systems")
    response = admin_client.get(f"/admin/{model}/")
    assert response.status_code == 200
    if model == "deals/deal":
        assert "K9 self-propelled howitzers" in response.content.decode()


@pytest.mark.django_db
def test_admin_deal_page_shows_evidence_inline(admin_client):
    deal = make_deal("KR", "PL")
    response = admin_client.get(reverse("admin:deals_deal_change", args=[deal.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Poland signed a contract for 180 K2 tanks" in body
    assert "Evidence" in body


@pytest.mark.django_db
def test_admin_deal_search_finds_by_party_code(admin_client):
    make_deal("KR", "PL", item="Chunmoo launchers", category="artillery_systems")
    make_deal("US", "UA", item="HIMARS launchers", category="artillery_systems")
    body = admin_client.get("/admin/deals/deal/?q=UA").content.decode()
    assert "HIMARS launchers" in body and "Chunmoo launchers" not in body


def run_settings_check(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_settings_refuse_debug_off_with_the_development_secret_key():
    result = run_settings_check({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_settings_refuse_a_malformed_boolean():
    result = run_settings_check({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_deploy_check_is_clean_with_production_values():
    result = run_settings_check(
        {
            "DEBUG": "false",
            "SECRET_KEY": "k" * 20 + "-production-secret-" + "x9Y8z7W6v5U4t3S2r1Q0" * 2,
            "ALLOWED_HOSTS": "deals.example.org",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_embedded_default_uses_sqlite_and_runs_tasks_in_process():
    code = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER)"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DEBUG")
    }
    env["VAR_DIR"] = "/tmp/dealtracker-settings-test"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split()[-2:] == ["django.db.backends.sqlite3", "True"], result.stderr


@pytest.mark.django_db
def test_postgresql_connections_use_the_configured_random_page_cost(settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == float(os.environ.get("DB_RANDOM_PAGE_COST", "1.1"))


def test_settings_refuse_a_random_page_cost_that_is_not_a_number():
    result = run_settings_check({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test", "DB_RANDOM_PAGE_COST": "cheap"})
    assert result.returncode != 0
    assert "DB_RANDOM_PAGE_COST must be a number" in result.stderr
