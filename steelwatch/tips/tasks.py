"""Background work for tips: the daily deadline reminders (also `steelwatch tip-reminders`)."""

from django.tasks import task

from steelwatch.core.jobs import job_run

from .services import tip_send_reminders


@task()
def tip_reminders_task(job_id: int):
    return job_run(job_id, lambda job, report: {"message": f"已发送 {tip_send_reminders()} 条举报期限提醒"})
