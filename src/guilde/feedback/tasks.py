"""Background work of the feedback domain (run by `manage.py db_worker`)."""

from django.tasks import task


@task()
def recompute_quality_scores() -> int:
    """Rescores every feedback after the rubric changed; batched so 1M rows stay in bounded memory."""
    from guilde.feedback.services import recompute_quality

    return recompute_quality()


@task()
def recompute_priorities() -> int:
    """Rescores every opportunity after the priority weights changed."""
    from guilde.feedback.services import recompute_all_priorities

    return recompute_all_priorities()


@task()
def run_import(job_id: int) -> str:
    """Validates then commits a CSV import job all-or-nothing, recording progress on the job."""
    from guilde.feedback.imports import run_import_job

    return run_import_job(job_id=job_id)


@task()
def rebuild_kpi_aggregates() -> dict[str, int]:
    """Recomputes the KPI aggregate tables from the feedback rows (after an SLA change)."""
    from guilde.feedback.aggregates import rebuild

    return rebuild()
