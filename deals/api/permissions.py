"""API permissions: reads follow the PUBLIC_BROWSING setting; writes need an analyst."""

from rest_framework.permissions import BasePermission

from deals.access import is_analyst


class IsAnalyst(BasePermission):
    """Only analysts (group `analysts` or superusers) may submit and follow ingest jobs."""

    message = "Analyst rights are needed for this operation."

    def has_permission(self, request, view) -> bool:
        return is_analyst(request.user)
