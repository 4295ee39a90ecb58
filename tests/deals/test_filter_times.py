"""Times in filters: any ISO 8601 offset is compared in UTC, out-of-range times are refused."""

import pytest

API = "/api/v1"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["deals/", "stats/"])
def test_an_offset_beyond_the_database_range_is_compared_in_utc(client, path):
    response = client.get(f"{API}/{path}", {"updated_since": "2011-12-28T14:42:49.9+19:25"})

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_time_that_overflows_in_utc_is_a_400_naming_the_field(client):
    response = client.get(f"{API}/deals/", {"updated_since": "0001-01-01T00:00:00+05:00"})

    assert response.status_code == 400
    assert "updated_since" in response.json()
