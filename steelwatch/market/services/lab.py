"""A round's lab workbook uploaded in the browser: judged row by row (preview), then every sample's results
recorded in one transaction (confirm). A sample number not in the round, or not awaiting results, is an
error on its cell."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from steelwatch.core.sheets import SheetError

from ..lab_excel import LAB_SHEET_NAME, JudgedWorkbook, judge_workbook
from ..models import SamplingRound
from .sampling import SAMPLE_RULES, SampleRefused, sample_results_record
from .trace import suspicion_facts


def round_results_plan(sampling_round: SamplingRound, path: str | Path) -> JudgedWorkbook:
    samples = {s.code: s for s in sampling_round.samples.select_related("enterprise")}
    waiting = SAMPLE_RULES["results"].sources

    def known(code: str) -> str:
        sample = samples.get(code)
        if sample is None:
            return f"样品编号 {code} 不属于本批次“{sampling_round.name}”"
        if sample.state not in waiting:
            return f"样品 {code} 当前状态为“{sample.get_state_display()}”，不能录入检验结果"
        return ""

    def context(code: str):
        sample = samples[code]
        return sample.production_date, suspicion_facts(sample)

    def recorded(code: str):
        sample = samples[code]
        return sample.grade, sample.diameter_mm

    return judge_workbook(path, context=context, known=known, recorded=recorded)


def round_results_import(*, actor, sampling_round: SamplingRound, path: str | Path) -> JudgedWorkbook:
    """Record every row's results or none: the workbook is judged again, then written in one transaction."""
    with transaction.atomic():
        judged = round_results_plan(sampling_round, path)
        if not judged.ok:
            return judged
        samples = {s.code: s for s in sampling_round.samples.all()}
        for row in judged.results:
            try:
                sample_results_record(actor=actor, sample=samples[row.sample], measured=row.measured)
            except (ValidationError, SampleRefused) as exc:
                message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                judged.errors.append(SheetError(LAB_SHEET_NAME, row.row, "", message))
        if judged.errors:
            transaction.set_rollback(True)
        return judged


__all__ = ["round_results_import", "round_results_plan"]
