"""Background work for cases: verification reminders and overdue marks (also `steelwatch case-reminders`)."""

from django.tasks import task

from steelwatch.core.jobs import job_run

from .services import case_reminders


@task()
def case_reminders_task(job_id: int):
    def work(job, report):
        report(10, "检查核查期限")
        sent = case_reminders()
        return {"message": f"已发送提醒 {sent['reminder']} 条，超期提示 {sent['overdue']} 条", **sent}

    return job_run(job_id, work)
