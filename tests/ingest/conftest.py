import pytest


@pytest.fixture(autouse=True)
def celery_runs_in_process(request):
    """Unit tests run queued tasks in-process even when a broker is configured; worker tests do not."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(scope="module")
def running_server():
    """The local HTTP server of tests/ingest/local_http.py, one per test module."""
    from tests.ingest.local_http import LocalServer

    with LocalServer() as running:
        yield running


@pytest.fixture
def server(running_server):
    """That server with its request log cleared; modules with a server of their own override this."""
    running_server.seen.clear()
    return running_server
