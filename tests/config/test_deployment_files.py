"""docker-compose.yml and the Dockerfile describe the same program the tests run."""

import importlib
import re
from pathlib import Path

import pytest
import yaml
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SETTINGS_SOURCE = (ROOT / "config" / "settings.py").read_text()
APP_SERVICES = ["web", "worker", "beat"]


def test_compose_has_the_five_services_with_healthchecks_where_they_serve():
    assert set(COMPOSE["services"]) == {"web", "worker", "beat", "postgres", "redis"}
    for name in ("web", "worker", "postgres", "redis"):
        assert "healthcheck" in COMPOSE["services"][name], name
    assert {"postgres-data", "redis-data"} <= set(COMPOSE["volumes"])


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_environment_variable_given_to_the_app_is_read_by_settings(service):
    for name in COMPOSE["services"][service]["environment"]:
        assert re.search(rf'["\']{name}["\']', SETTINGS_SOURCE), f"{service}: settings never read {name}"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_wait_for_healthy_postgres_and_redis(service):
    depends = COMPOSE["services"][service]["depends_on"]
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"


def test_web_command_serves_the_wsgi_application_that_exists():
    command = COMPOSE["services"]["web"]["command"]
    target = re.search(r"gunicorn (\S+):(\S+)", command)
    module = importlib.import_module(target.group(1))
    assert callable(getattr(module, target.group(2)))
    assert "migrate" in command


def test_worker_and_beat_commands_name_the_celery_app_that_exists():
    from config.celery import app

    for service in ("worker", "beat"):
        assert COMPOSE["services"][service]["command"].startswith("celery -A config ")
    assert app.main == "dealtracker"
    for entry in app.conf.beat_schedule.values():
        module, _, name = entry["task"].rpartition(".")
        assert hasattr(importlib.import_module(module), name), entry["task"]


def test_web_healthcheck_path_is_routed():
    healthcheck = " ".join(COMPOSE["services"]["web"]["healthcheck"]["test"])
    path = re.search(r"127\.0\.0\.1:8000(/\S*?)'", healthcheck).group(1)
    assert resolve(path).url_name == "healthz"


@pytest.mark.django_db
def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_dockerfile_installs_the_project_and_runs_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    assert "pip install ." in dockerfile
    assert "config.wsgi:application" in dockerfile
