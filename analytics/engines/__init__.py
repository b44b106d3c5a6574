"""Engines run `pipeline.score_chunk` over groups of accounts; they differ only in where.

Each engine module provides `score_frame(frame, accounts, *, daily, progress, spark_master)` taking a
prepared frame (account_id, ts_us, kw — see `pipeline.prepare`) and returning `pipeline.OUTPUT_SCHEMA`.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from analytics.clean import InputError

ENGINES = ("local", "spark")


def get_engine(name: str) -> ModuleType:
    if name not in ENGINES:
        raise InputError(f"未知的计算引擎：{name}（可选：{'、'.join(ENGINES)}）")
    return importlib.import_module(f"analytics.engines.{name}")  # spark is imported only when chosen
