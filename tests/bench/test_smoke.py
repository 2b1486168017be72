"""The benchmark must not rot: a tiny profile generated, a few requests per endpoint, the bulk jobs.

The full runs (bench/RESULTS.md) are not part of the test suite. Here the generator fills the
test database and the driver's requests go to Django's live server (gunicorn cannot see an
in-memory SQLite test database).
"""

from urllib.parse import urlsplit

import pytest

from bench import generate, run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tiny(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    return generate.generate(generate.PROFILES["tiny"], seed=1)


def test_generator_fills_every_table_and_the_aggregates(tiny):
    assert tiny["feedbacks"] == 300
    assert tiny["status_changes"] > 300
    assert tiny["members"] == 40
    assert tiny["accounts"] == 60
    assert tiny["opportunities"] == 20
    assert tiny["kpi_rows"] > 0


def test_driver_gets_every_endpoint_and_runs_the_bulk_jobs(tiny, live_server, tmp_path):
    targets = run.prepare()
    port = urlsplit(live_server.url).port
    rows = []
    for endpoint in run.endpoints(targets):
        measure = run.run_load(port, endpoint, concurrency=1, max_requests=2, max_seconds=10)
        assert measure.statuses == {200: 2}, (endpoint.name, endpoint.paths[0], measure.statuses)
        rows.append(
            {
                "name": endpoint.name,
                "goal_ms": endpoint.goal_ms,
                **{key: measure.summary() for key in ("c1", "c8", "c1_cached", "c8_cached")},
                "c8_ratio_to_ceiling": 1.0,
                "c8_ratio_to_ceiling_cached": 1.0,
            }
        )
    imported = run.bench_import(150, directory=tmp_path)
    assert imported["created"] == 150
    exported = run.bench_export(100)
    assert exported["rows"] == 100
    report = run.markdown(
        {
            "label": "smoke",
            "feedbacks": targets["feedbacks"],
            "endpoints": rows,
            "worker_rss_mb": [],
            "machine": {
                "date": "",
                "cores": 2,
                "cpu": "",
                "memory_gb": 0,
                "python": "",
                "django": "",
                "database": "",
                "gunicorn": "",
            },
            "import": imported,
            "export": exported,
        }
    )
    assert "KPIs, 12 months" in report
