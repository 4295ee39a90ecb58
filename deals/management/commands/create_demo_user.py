from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from deals.access import ANALYSTS_GROUP

DEMO_USERNAME = "analyst"
DEMO_PASSWORD = "analyst"


class Command(BaseCommand):
    help = "Create the demo analyst account (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo account is only for a development server (DEBUG on).")
        user, created = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = True
            user.save()
        group, _ = Group.objects.get_or_create(name=ANALYSTS_GROUP)
        user.groups.add(group)
        self.stdout.write(f"Demo analyst: user {DEMO_USERNAME!r}, password {DEMO_PASSWORD!r}")
