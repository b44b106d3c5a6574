"""Background work of power monitoring: a detection run over an uploaded readings file."""

from django.tasks import task

from steelwatch.core.jobs import job_kind, job_run

from .models import DetectionRun
from .services import detection_run_abandon, detection_run_execute


def _ingest(job, report) -> dict:
    run = DetectionRun.objects.select_related("created_by").get(pk=job.params["run"])
    return detection_run_execute(run=run, report=report)


@task()
def detection_run_task(job_id: int):
    job_run(job_id, _ingest)


def _abandon(job) -> None:
    """The run of a job that failed or lost its worker: failed too, its partial archive files removed."""
    detection_run_abandon(run_id=job.params.get("run"), message=job.message)


job_kind("power_ingest", on_fail=_abandon)
