"""From features and the registry to a score in 0..1 and a level.

The score is a logistic of evidence points: melt cycles in a session, how many sessions, how many at
night, use beyond the contracted capacity, a step change in daily energy. The registry then explains or
aggravates: melting within the registered furnace capacity is explained (normal); melting far beyond it,
or with none registered, is not. A closed site with sustained use above standby always alerts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from analytics.features import MIN_SESSION_CYCLES

ALERT, WATCH, NORMAL = "alert", "watch", "normal"
# The score is the probability of an illegal furnace at the stated prevalence (1 in 100 accounts): alert
# from a 30 % chance (30× the base rate), watch from 10 %.
ALERT_AT, WATCH_AT = 0.3, 0.1

# Registered capacity covers the measured furnace power up to this ratio (other loads of the foundry
# share the plateau); beyond FAR_BEYOND it is treated as unregistered melting.
EXPLAINED_RATIO, FAR_BEYOND_RATIO = 1.3, 1.8
OVER_CONTRACT_RATIO = 1.2
# The smallest furnaces used for steel are ~0.5 t at 500 kW/t, drawing 85–98 % of rated while melting
# (docs/physics.md): a melt plateau below this is too small to be a steel furnace on its own → watch at most.
MIN_FURNACE_KW = 200.0
SMALL_CAP = 0.29  # just below ALERT_AT
CHANGE_SCORE_MIN = 3.0
KWH_PER_TONNE = 600  # steel scrap melted in a coreless furnace: 500–650 kWh/t (docs/physics.md)
STANDBY_MIN_KW, STANDBY_CONTRACT_SHARE, STANDBY_MAX_KW = 5.0, 0.01, 30.0


@dataclass
class Registry:
    """Per-account registry facts aligned with a matrix's rows (NaN / '' where unknown)."""

    contracted_kva: np.ndarray
    registered_kw: np.ndarray
    status: np.ndarray  # 'operating' | 'idle' | 'closed' | ''
    industry: np.ndarray

    @property
    def standby_kw(self) -> np.ndarray:
        """A closed site may keep lights and security on: 1 % of its contract, 5–30 kW."""
        share = np.nan_to_num(self.contracted_kva) * STANDBY_CONTRACT_SHARE
        return np.clip(share, STANDBY_MIN_KW, STANDBY_MAX_KW).astype(np.float32)

    @property
    def dormant(self) -> np.ndarray:
        return np.isin(self.status, ["closed", "idle"])


def furnace_ratio(feats: dict[str, np.ndarray], registry: Registry) -> np.ndarray:
    """Measured melt power over registered furnace power (inf when none is registered)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(registry.registered_kw > 0, feats["melt_power_kw"] / registry.registered_kw, np.inf)


def session_evidence(feats: dict[str, np.ndarray], registry: Registry) -> dict[str, np.ndarray]:
    """Melt evidence night by night, after the registry: a session whose measured furnace power is
    within the registered furnace capacity is explained (whatever the hour) and does not count;
    beyond it, it counts (grey up to FAR_BEYOND_RATIO × registered)."""
    n = len(registry.registered_kw)
    day_cycles = feats.get("melt_day_cycles")
    if day_cycles is None or day_cycles.ndim != 2:  # daily data: no cycles at all
        zero = np.zeros(n)
        return {
            "cycles": zero,
            "sessions": zero,
            "night_sessions": zero,
            "grey": np.zeros(n, bool),
            "power_kw": zero,
            "tonnes": zero,
            "anomalous": zero,
        }
    registered = registry.registered_kw[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(registered > 0, feats["melt_day_kw"] / registered, np.inf)
    unexplained = ratio > EXPLAINED_RATIO
    session = (day_cycles >= MIN_SESSION_CYCLES) & unexplained
    far = session & (ratio > FAR_BEYOND_RATIO)
    # days without a session have no power estimate: their stray cycles count unless the account has
    # explained sessions only (a registered foundry's short shifts)
    explained_any = ((day_cycles >= MIN_SESSION_CYCLES) & ~unexplained).any(axis=1, keepdims=True)
    counted = session | ((day_cycles < MIN_SESSION_CYCLES) & ~explained_any)
    return {
        "cycles": np.where(counted, day_cycles, 0).max(axis=1, initial=0),
        "sessions": session.sum(axis=1),
        "night_sessions": (session & (feats["melt_day_night"] > 0)).sum(axis=1),
        "grey": session.any(axis=1) & ~far.any(axis=1),
        "power_kw": np.where(session, feats["melt_day_kw"], 0).max(axis=1, initial=0),
        "tonnes": np.where(session, feats["melt_day_kwh"], 0).sum(axis=1) / KWH_PER_TONNE,
        "anomalous": (session & (feats["melt_day_anomaly"] > 0)).sum(axis=1),
    }


# --- evidence → calibrated probability ---------------------------------------------------------------
#
# Which facts count, and in which direction, follows from the physics (docs/physics.md) and the registry:
# regular melt cycles, sessions, nights, melting power beyond the registered furnaces, power sustained
# beyond what the registered furnaces can draw, use beyond the contract, a closed site melting, tonnes.
# Only the weights are fitted (`analytics.calibrate`, non-negative where the physics says "more is worse"),
# on our own simulator's tuning seeds; they are data with the prevalence they were fitted at
# (analytics/data/calibration.json), and the score is the probability at the stated prevalence.

CALIBRATION_FILE = Path(__file__).resolve().parent / "data" / "calibration.json"
EVIDENCE = (
    "cycles", "sessions", "night_sessions", "unregistered_melting", "beyond_registered", "sustained_beyond",
    "over_contract", "change", "dormant_melting", "grey", "small", "tonnes", "anomalous",
    "extra_days", "extra_night", "extra_unregistered", "bursts",
)  # fmt: skip
RESOLUTIONS = ("15", "60", "1440")  # calibrations: 15-minute (and finer), 30/60-minute, daily
MAX_TONNES_LOG = 8.0  # log2(1 + t) capped at 255 t in a window


@lru_cache(maxsize=1)
def calibration() -> dict[str, Any]:
    fitted: dict[str, Any] = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    return fitted


def evidence(feats: dict[str, np.ndarray], registry: Registry) -> dict[str, np.ndarray]:
    """The evidence terms of each account (all ≥ 0; `grey` and `small` count against)."""
    ev = session_evidence(feats, registry)
    n = len(registry.registered_kw)
    zero = np.zeros(n)
    registered = registry.registered_kw
    melting = ev["sessions"] > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(registered > 0, ev["power_kw"] / registered, 0.0)
        day_sustained = feats.get("day_sustained_kw")
        if day_sustained is not None and day_sustained.ndim == 2:
            above = day_sustained - np.nan_to_num(feats["base_kw"])[:, None]
            beyond_days = ((above > FAR_BEYOND_RATIO * registered[:, None]) & (registered[:, None] > 0)).sum(
                axis=1
            )
        else:
            beyond_days = np.zeros(n)
    over_contract = feats["peak_kw"] > OVER_CONTRACT_RATIO * np.nan_to_num(
        registry.contracted_kva, nan=np.inf
    )
    feats["tonnes"] = np.round(ev["tonnes"], 2)
    feats["sustained_beyond_days"] = beyond_days.astype(np.float64)
    return {
        "cycles": np.minimum(np.maximum(ev["cycles"] - 1, 0), 8).astype(np.float64),
        "sessions": np.log2(1 + np.minimum(ev["sessions"], 15)),
        "night_sessions": np.log2(1 + np.minimum(ev["night_sessions"], 15)),
        "unregistered_melting": (melting & (registered <= 0)).astype(np.float64),
        "beyond_registered": np.where(melting & (registered > 0), np.log2(np.clip(ratio, 1, 16)), 0.0),
        "sustained_beyond": np.log2(1 + np.minimum(beyond_days, 15)),
        "over_contract": over_contract.astype(np.float64),
        "change": (feats["change_score"] >= CHANGE_SCORE_MIN).astype(np.float64),
        "dormant_melting": (melting & registry.dormant).astype(np.float64),
        "grey": ev["grey"].astype(np.float64),
        "small": (melting & (ev["power_kw"] < MIN_FURNACE_KW)).astype(np.float64),
        "tonnes": np.minimum(np.log2(1 + ev["tonnes"]), MAX_TONNES_LOG),
        "anomalous": np.log2(1 + np.minimum(ev["anomalous"], 15)),
        # coarse data (30/60 minutes): extra blocks of 3+ hours above the account's usual level
        "extra_days": np.log2(1 + np.minimum(feats.get("extra_days", zero), 15)),
        "extra_night": np.log2(1 + np.minimum(feats.get("extra_night_days", zero), 15)),
        "extra_unregistered": ((feats.get("extra_days", zero) > 0) & (registered <= 0)).astype(np.float64),
        # daily data: days of several times the usual energy
        "bursts": np.log2(1 + np.minimum(feats.get("burst_days", zero), 15)),
    }


def resolution(interval_min: float) -> str:
    return "15" if interval_min <= 15 else "60" if interval_min < 1440 else "1440"


def log_odds(terms: dict[str, np.ndarray], fitted: dict[str, Any] | None = None, prevalence: float | None = None,
             interval_min: float = 15) -> np.ndarray:  # fmt: skip
    """Log-odds of an illegal furnace at `prevalence` (default the calibration's stated one): the fitted
    weights (of the data's resolution) shifted from the prevalence they were fitted at (Bayes' rule on the
    prior odds)."""
    fitted = fitted or calibration()[resolution(interval_min)]
    z = np.full(len(terms["cycles"]), float(fitted["intercept"]))
    for name, weight in fitted["weights"].items():
        z += float(weight) * terms[name]
    prior = float(prevalence if prevalence is not None else fitted["prevalence"])
    fit = float(fitted["fit_prevalence"])
    return z - np.log(fit / (1 - fit)) + np.log(prior / (1 - prior))


def score(feats: dict[str, np.ndarray], registry: Registry) -> tuple[np.ndarray, np.ndarray]:
    terms = evidence(feats, registry)
    feats.update({f"ev_{k}": v for k, v in terms.items()})
    interval = feats["interval_min"][0] if len(feats["interval_min"]) else 15
    z = log_odds(terms, interval_min=interval)
    s = 1 / (1 + np.exp(-z))
    s = np.where(terms["small"] > 0, np.minimum(s, SMALL_CAP), s)
    feats["log_odds"] = z

    alive = feats["standby_days"] > 0
    closed_alive = alive & (registry.status == "closed")
    s = np.where(closed_alive, np.maximum(s, 0.95 + 0.005 * np.minimum(feats["standby_days"], 10)), s)
    s = np.where(alive & (registry.status == "idle"), np.maximum(s, WATCH_AT + 0.05), s)
    s = np.round(s, 4)
    return s, level(s)


def level(s: np.ndarray) -> np.ndarray:
    return np.select([s >= ALERT_AT, s >= WATCH_AT], [ALERT, WATCH], NORMAL)
