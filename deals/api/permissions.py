"""API permissions: reads follow the PUBLIC_BROWSING setting; writes need an analyst."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from deals.access import can_browse, is_analyst


class CanBrowse(BasePermission):
    """Reads as the pages allow them (open, or signed-in only when PUBLIC_BROWSING is off); writes
    need a signed-in user, and each write endpoint asks for more."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return can_browse(request.user)
        return bool(request.user and request.user.is_authenticated)


class IsAnalyst(BasePermission):
    """Only analysts (group `analysts` or superusers) may submit and follow ingest jobs."""

    message = "Analyst rights are needed for this operation."

    def has_permission(self, request, view) -> bool:
        return is_analyst(request.user)
