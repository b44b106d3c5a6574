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
    "extra_days", "extra_night", "extra_unregistered", "extra_size", "extra_contrast", "extra_dips",
    "bursts",
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
    extra = extra_evidence(feats, registered)
    bursts = burst_days(feats, registered)
    over_contract = feats["peak_kw"] > OVER_CONTRACT_RATIO * np.nan_to_num(
        registry.contracted_kva, nan=np.inf
    )
    feats["tonnes"] = np.round(ev["tonnes"], 2)
    feats["sustained_beyond_days"] = beyond_days.astype(np.float64)
    feats["extra_unexplained_days"], feats["extra_unexplained_night"] = extra["days"], extra["night"]
    feats["extra_unexplained_kw"], feats["extra_contrast"] = extra["kw"], extra["contrast"]
    feats["extra_unexplained_dips"], feats["burst_unexplained_days"] = extra["dips"], bursts
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
        # extra blocks on hourly means (any sub-daily data): 3+ hours ≥ 200 kW above the account's usual
        # level at that hour, beyond what its registered furnaces can draw
        "extra_days": np.log2(1 + np.minimum(extra["days"], 15)),
        "extra_night": np.log2(1 + np.minimum(extra["night"], 15)),
        "extra_unregistered": ((extra["days"] > 0) & (registered <= 0)).astype(np.float64),
        "extra_size": np.minimum(np.log2(np.maximum(extra["kw"] / MIN_FURNACE_KW, 1)), EXTRA_LOG_MAX),
        "extra_contrast": np.minimum(np.log2(np.maximum(extra["contrast"], 1)), EXTRA_LOG_MAX),
        "extra_dips": np.log2(1 + np.minimum(extra["dips"], 15)),
        # daily data: days of several times the usual energy of the fortnight around them
        "bursts": np.log2(1 + np.minimum(bursts, 15)),
    }


EXTRA_LOG_MAX = 6.0
NOISE_FLOOR_KW = 10.0  # a site's ordinary spread is never read as below this (meter resolution, lights)


def extra_evidence(feats: dict[str, np.ndarray], registered: np.ndarray) -> dict[str, np.ndarray]:
    """Days with an extra block (features.coarse_features) that the registered furnaces do not explain
    (block power > EXPLAINED_RATIO × registered kW), at night, the largest such block, and that block over
    the site's ordinary hour-to-hour spread (a furnace is a step of about its rated power, far above the
    spread of the load it hides behind)."""
    n = len(registered)
    day_kw = feats.get("extra_day_kw")
    if day_kw is None or day_kw.ndim != 2:
        zero = np.zeros(n)
        return {"days": zero, "night": zero, "kw": zero, "contrast": zero, "dips": zero}
    unexplained = (day_kw >= MIN_FURNACE_KW) & (day_kw > EXPLAINED_RATIO * registered[:, None])
    kw = np.where(unexplained, day_kw, 0).max(axis=1, initial=0)
    return {
        "days": unexplained.sum(axis=1).astype(np.float64),
        "night": (unexplained & feats["extra_day_night"]).sum(axis=1).astype(np.float64),
        "kw": kw,
        "contrast": kw / np.maximum(feats["extra_noise_kw"], NOISE_FLOOR_KW),
        "dips": np.where(unexplained, feats["extra_day_dips"], 0).max(axis=1, initial=0),
    }


def burst_days(feats: dict[str, np.ndarray], registered: np.ndarray) -> np.ndarray:
    """Daily data: burst days (features.daily_features) whose energy above the usual day exceeds what the
    registered furnaces could draw in a whole day (EXPLAINED_RATIO × registered kW × 24 h)."""
    excess = feats.get("burst_day_kwh")
    if excess is None or excess.ndim != 2:
        return np.zeros(len(registered))
    return (excess > EXPLAINED_RATIO * registered[:, None] * 24).sum(axis=1).astype(np.float64)


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


# Regular cycle chains are the detector's most specific evidence, but whether a furnace's taps chain into
# them at 15 minutes depends on its cycle length and breaks (short cycles leave 1–2-interval plateaus,
# docs/detection.md "Known limits"). A second set of weights, fitted without them (CYCLE_TERMS left out),
# scores what remains — extra blocks and their dips, sustained power, the contract — so that a furnace
# whose taps do not chain is not read as if nothing were there; the score is the larger of the two.
CYCLE_TERMS = (
    "cycles", "sessions", "night_sessions", "unregistered_melting", "beyond_registered", "dormant_melting",
    "grey", "small", "tonnes", "anomalous",
)  # fmt: skip
BLIND_SUFFIX = "-without-cycles"


def score(feats: dict[str, np.ndarray], registry: Registry) -> tuple[np.ndarray, np.ndarray]:
    terms = evidence(feats, registry)
    feats.update({f"ev_{k}": v for k, v in terms.items()})
    interval = feats["interval_min"][0] if len(feats["interval_min"]) else 15
    z = log_odds(terms, interval_min=interval)
    blind = calibration().get(resolution(interval) + BLIND_SUFFIX)
    if blind is not None:
        z = np.maximum(z, log_odds(terms, blind))
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
