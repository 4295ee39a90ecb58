"""View guards built on the access rules: who may browse, who may ingest and review."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .access import can_browse, is_analyst


def browse_required(view: Callable) -> Callable:
    """Let anyone browse when browsing is public; otherwise send strangers to the login page."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not can_browse(request.user):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return guarded


def analyst_required(view: Callable) -> Callable:
    """Send strangers to the login page and refuse signed-in users outside the analysts group."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_analyst(request.user):
            raise PermissionDenied("Only analysts may do this.")
        return view(request, *args, **kwargs)

    return guarded
