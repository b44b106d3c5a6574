"""Writes of the market app, one module per section: sampling (the workflow), rounds (plans, rounds, publication), supply (incoming goods and
billet sources), trace (the case a failed sample opens, with its trace-back graph seeded)."""

from .lab import round_results_import, round_results_plan
from .rounds import place_kind_of, plan_create, producer_ids, round_create, round_publish
from .sampling import (
    OBJECTION_DAYS,
    SAMPLE_RULES,
    SampleRefused,
    actions_for,
    sample_create,
    sample_dispose,
    sample_finalize,
    sample_photo_add,
    sample_receive,
    sample_refusal_record,
    sample_results_record,
    sample_retest_request,
    sample_retest_results,
    sample_serve,
)
from .supply import mill_output_record, supply_import, supply_import_plan, supply_record_create

__all__ = [
    "OBJECTION_DAYS",
    "SAMPLE_RULES",
    "SampleRefused",
    "actions_for",
    "mill_output_record",
    "place_kind_of",
    "plan_create",
    "producer_ids",
    "round_create",
    "round_publish",
    "round_results_import",
    "round_results_plan",
    "sample_create",
    "sample_dispose",
    "sample_finalize",
    "sample_photo_add",
    "sample_receive",
    "sample_refusal_record",
    "sample_results_record",
    "sample_retest_request",
    "sample_retest_results",
    "sample_serve",
    "supply_import",
    "supply_import_plan",
    "supply_record_create",
]
