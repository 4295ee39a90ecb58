import pytest


@pytest.fixture
def analyst(django_user_model):
    """A signed-in-capable user in the analysts group."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("analyst", password="analyst-pass-123")
    group, _ = Group.objects.get_or_create(name="analysts")
    user.groups.add(group)
    return user
