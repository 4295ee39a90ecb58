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
