"""API reads follow PUBLIC_BROWSING at request time, like the pages; cached pages never leak past it."""

import pytest
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import make_deal

pytestmark = pytest.mark.django_db
API = "/api/v1"
READS = ["deals/", "deals/cursor/", "parties/", "categories/", "articles/", "stats/", "deals/removed/"]


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.mark.parametrize("path", READS)
def test_reads_are_open_while_browsing_is_public(path):
    make_deal("US", "UA")

    assert APIClient().get(f"{API}/{path}").status_code == 200


@pytest.mark.parametrize("path", READS)
def test_reads_need_a_token_or_a_session_when_browsing_is_not_public(path, django_user_model):
    deal = make_deal("US", "UA")
    viewer = django_user_model.objects.create_user("viewer", password="viewer-pass-123")

    with override_settings(PUBLIC_BROWSING=False):
        assert APIClient().get(f"{API}/{path}").status_code == 401
        assert APIClient().get(f"{API}/deals/{deal.pk}/").status_code == 401
        assert token_client(viewer).get(f"{API}/{path}").status_code == 200
        session = APIClient()
        session.force_login(viewer)
        assert session.get(f"{API}/{path}").status_code == 200


def test_a_page_cached_for_a_public_reader_is_not_served_once_browsing_closes():
    make_deal("US", "UA")
    assert APIClient().get(f"{API}/deals/").status_code == 200

    with override_settings(PUBLIC_BROWSING=False):
        response = APIClient().get(f"{API}/deals/")

    assert response.status_code == 401
    assert b"results" not in response.content
