"""Who may do what: viewers browse, analysts ingest and review."""

from django.conf import settings

ANALYSTS_GROUP = "analysts"
VIEWERS_GROUP = "viewers"


def is_analyst(user) -> bool:
    """Analysts (and superusers) may ingest articles and review deals."""
    if not user or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=ANALYSTS_GROUP).exists()


def can_browse(user) -> bool:
    """Browsing is open to anyone unless PUBLIC_BROWSING is off, then only to signed-in users."""
    return settings.PUBLIC_BROWSING or bool(user and user.is_authenticated)
