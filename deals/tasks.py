from celery import shared_task

from . import services


@shared_task
def recompute_usd_values() -> int:
    return services.recompute_usd_values()
