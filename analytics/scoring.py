"""From features and the registry to a score in 0..1 and a level.

The score is a logistic of evidence points: melt cycles in a session, how many sessions, how many at
night, use beyond the contracted capacity, a step change in daily energy. The registry then explains or
aggravates: melting within the registered furnace capacity is explained (normal); melting far beyond it,
or with none registered, is not. A closed site with sustained use above standby always alerts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.features import MIN_SESSION_CYCLES

ALERT, WATCH, NORMAL = "alert", "watch", "normal"
ALERT_AT, WATCH_AT = 0.8, 0.5

# Registered capacity covers the measured furnace power up to this ratio (other loads of the foundry
# share the plateau); beyond FAR_BEYOND it is treated as unregistered melting.
EXPLAINED_RATIO, FAR_BEYOND_RATIO = 1.3, 1.8
OVER_CONTRACT_RATIO = 1.2
# The smallest furnaces used for steel are ~0.5 t at 500 kW/t, drawing 85–98 % of rated while melting
# (docs/physics.md): a melt plateau below this is too small to be a steel furnace on its own → watch at most.
MIN_FURNACE_KW = 200.0
SMALL_CAP = 0.79
CHANGE_SCORE_MIN = 3.0
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


def furnace_ratio(feats: dict, registry: Registry) -> np.ndarray:
    """Measured melt power over registered furnace power (inf when none is registered)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(registry.registered_kw > 0, feats["melt_power_kw"] / registry.registered_kw, np.inf)


def session_evidence(feats: dict, registry: Registry) -> dict:
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
    }


def score(feats: dict, registry: Registry) -> tuple[np.ndarray, np.ndarray]:
    ev = session_evidence(feats, registry)
    cycles = np.minimum(np.maximum(ev["cycles"] - 1, 0), 6)
    sessions = np.minimum(ev["sessions"], 4)
    night_sessions = np.minimum(ev["night_sessions"], 3)
    over_contract = feats["peak_kw"] > OVER_CONTRACT_RATIO * np.nan_to_num(
        registry.contracted_kva, nan=np.inf
    )
    melting = ev["sessions"] > 0

    z = -4.5 + cycles + sessions + night_sessions
    z += 1.0 * over_contract + 0.5 * (feats["change_score"] >= CHANGE_SCORE_MIN)
    z += 1.0 * (melting & registry.dormant)
    z -= 2.0 * ev["grey"]
    s = 1 / (1 + np.exp(-z))
    s = np.where(melting & (ev["power_kw"] < MIN_FURNACE_KW), np.minimum(s, SMALL_CAP), s)

    alive = feats["standby_days"] > 0
    closed_alive = alive & (registry.status == "closed")
    s = np.where(closed_alive, np.maximum(s, 0.95 + 0.005 * np.minimum(feats["standby_days"], 10)), s)
    s = np.where(alive & (registry.status == "idle"), np.maximum(s, 0.6), s)
    bursts = feats.get(
        "burst_days", np.zeros_like(s)
    )  # daily data: melting nights cannot be seen, only suspected
    s = np.where((bursts >= 2) & (registry.registered_kw <= 0), np.maximum(s, 0.55), s)
    s = np.round(s, 4)
    return s, level(s)


def level(s: np.ndarray) -> np.ndarray:
    return np.select([s >= ALERT_AT, s >= WATCH_AT], [ALERT, WATCH], NORMAL)
