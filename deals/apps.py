from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DealsConfig(AppConfig):
    name = "deals"
    verbose_name = "Deals"

    def ready(self):
        from .seed import ensure_reference_data

        post_migrate.connect(ensure_reference_data, sender=self, dispatch_uid="deals-reference-data")
        # Every process that writes (web, workers, shell) retires cached API pages on party,
        # category and role changes, not only the processes that serve the API.
        from .api import caching  # noqa: F401
