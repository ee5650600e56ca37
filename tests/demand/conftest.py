import pytest


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Run demand's tasks in-process even in CI's Redis pass (where Celery is not eager), so the
    tests see their effects; the real-worker test opts out with its `celery_worker` marker."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
