from django.db import connection
from django.http import HttpResponse


def healthz(request):
    """Liveness for the container healthcheck: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
