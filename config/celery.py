"""The Celery app: tasks autodiscovered from the Django apps, configured from settings (CELERY_*)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("dealtracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "poll-due-feeds": {"task": "ingest.tasks.poll_due_feeds", "schedule": 60.0},
    "requeue-stale-jobs": {"task": "ingest.tasks.requeue_stale_jobs", "schedule": 300.0},
    "refresh-exchange-rates-nightly": {
        "task": "deals.tasks.recompute_usd_values",
        "schedule": crontab(hour=3, minute=17),
    },
}
