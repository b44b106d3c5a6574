import json
import math

import numpy as np
import polars as pl
import pytest

from analytics import simulate
from analytics.evaluate import (
    false_alert_rate_by_kind,
    main,
    per_kind_recall,
    precision_at_prevalence,
    precision_recall,
    roc_auc,
)


def test_roc_auc_with_ties_by_hand():
    # positives score 0.9, 0.5, 0.5; negatives 0.9, 0.1. Of the 6 pairs the positive wins 4 - one a tie:
    # (0.9 vs 0.9) ½, (0.9 vs 0.1) 1, (0.5 vs 0.9) 0 twice, (0.5 vs 0.1) 1 twice → 3.5 / 6.
    assert roc_auc([1, 0, 1, 0, 1], [0.9, 0.9, 0.5, 0.1, 0.5]) == pytest.approx(3.5 / 6)
    assert roc_auc([1, 1, 0, 0], [3, 2, 1, 0]) == 1.0
    assert roc_auc([0, 0, 1, 1], [3, 2, 1, 0]) == 0.0
    assert roc_auc([0, 1, 0, 1], [7, 7, 7, 7]) == 0.5
    assert math.isnan(roc_auc([1, 1], [0.2, 0.3]))


def test_roc_auc_matches_pairwise_count():
    rng = np.random.default_rng(0)
    labels = rng.random(300) < 0.3
    scores = rng.integers(0, 20, 300).astype(float)  # many ties
    pos, neg = scores[labels], scores[~labels]
    pairwise = ((pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])).mean()
    assert roc_auc(labels, scores) == pytest.approx(pairwise)


def test_precision_recall_and_kinds():
    labels = np.array([1, 1, 1, 0, 0, 0, 0])
    flagged = np.array([1, 1, 0, 1, 0, 0, 0], bool)
    kinds = np.array(["a", "a", "b", "x", "x", "y", "y"])
    assert precision_recall(labels, flagged) == pytest.approx((2 / 3, 2 / 3))
    assert all(math.isnan(v) for v in precision_recall([0, 0], [False, False]))
    assert per_kind_recall(labels, kinds, flagged) == {
        "a": {"n": 2, "flagged": 2, "rate": 1.0},
        "b": {"n": 1, "flagged": 0, "rate": 0.0},
    }
    assert false_alert_rate_by_kind(labels, kinds, flagged)["x"] == {"n": 2, "flagged": 1, "rate": 0.5}


def test_precision_at_prevalence():
    assert precision_at_prevalence(0.8, 0.01, 0.01) == pytest.approx(0.008 / (0.008 + 0.0099))
    assert precision_at_prevalence(0.8, 0.0, 0.001) == 1.0
    assert math.isnan(precision_at_prevalence(0.0, 0.0, 0.01))


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    out = tmp_path_factory.mktemp("sim")
    assert simulate.main(["--accounts", "60", "--days", "7", "--out", str(out), "--seed", "2"]) == 0
    return out


def night_share_scores(readings: pl.DataFrame) -> pl.DataFrame:
    """A toy detector: share of energy used 22:00–06:00."""
    hour = pl.col("ts").dt.hour()
    clean = readings.filter(pl.col("kw").is_between(0, 1e4)).unique(["account_id", "ts"])
    score = clean.group_by("account_id").agg(
        score=pl.col("kw").filter((hour >= 22) | (hour < 6)).sum() / (pl.col("kw").sum() + 1)
    )
    return score.with_columns(
        level=pl.when(pl.col("score") > 0.4)
        .then(pl.lit("alert"))
        .when(pl.col("score") > 0.25)
        .then(pl.lit("watch"))
        .otherwise(pl.lit("normal")),
        reasons=pl.lit("夜间用电占比高, 测试"),
    )


def run_json(capsys, *argv) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_main_on_simulated_files(simulated, tmp_path, capsys):
    scores = night_share_scores(pl.read_parquet(simulated / "readings.parquet"))
    scores.write_csv(tmp_path / "scores.csv")
    labels = str(simulated / "labels.csv")
    m = run_json(
        capsys, "--scores", str(tmp_path / "scores.csv"), "--labels", labels, "--prevalence", "0.001,0.01"
    )
    assert m["accounts"] == 60 and m["positives"] == 12 and m["unscored"] == 0
    assert 0.5 < m["roc_auc"] <= 1
    assert [p["prevalence"] for p in m["precision_at_prevalence"]] == [0.001, 0.01]
    assert set(m["recall_by_kind"]) == {k.name for k in simulate.KINDS if k.label == 1}
    assert m["false_alerts_per_1000_legitimate"] == pytest.approx(1000 * m["false_alert_rate"])

    assert main(["--scores", str(tmp_path / "scores.csv"), "--labels", labels]) == 0
    text = capsys.readouterr().out
    assert "ROC AUC" in text and "closed_site_revival" in text and "每 1000 户合法户误报" in text


def test_perfect_scores_from_parquet(simulated, tmp_path, capsys):
    labels = pl.read_csv(simulated / "labels.csv", schema_overrides={"account_id": pl.String})
    perfect = labels.select(
        "account_id",
        score=pl.col("label").cast(pl.Float64),
        level=pl.when(pl.col("label") == 1).then(pl.lit("alert")).otherwise(pl.lit("normal")),
        reasons=pl.lit(""),
    )
    perfect.write_parquet(tmp_path / "scores.parquet")
    m = run_json(
        capsys, "--scores", str(tmp_path / "scores.parquet"), "--labels", str(simulated / "labels.csv")
    )
    assert m["roc_auc"] == 1.0 and m["precision"] == 1.0 and m["recall"] == 1.0
    assert m["closed_site_revival"]["all_alerted"] is True
    assert m["precision_at_prevalence"][0]["precision"] == 1.0


def test_unscored_accounts_count_as_missed(simulated, tmp_path, capsys):
    labels = pl.read_csv(simulated / "labels.csv", schema_overrides={"account_id": pl.String})
    alerted = labels.filter(pl.col("label") == 1).select(
        "account_id", score=pl.lit(1.0), level=pl.lit("alert"), reasons=pl.lit("")
    )
    alerted.head(5).write_csv(tmp_path / "scores.csv")
    m = run_json(capsys, "--scores", str(tmp_path / "scores.csv"), "--labels", str(simulated / "labels.csv"))
    assert m["unscored"] == 55 and m["recall"] == pytest.approx(5 / 12) and m["precision"] == 1.0


def test_errors_are_chinese_and_exit_2(simulated, tmp_path, capsys):
    labels = str(simulated / "labels.csv")
    pl.DataFrame({"account_id": ["1"], "score": [0.5], "reasons": [""]}).write_csv(tmp_path / "no_level.csv")
    assert main(["--scores", str(tmp_path / "no_level.csv"), "--labels", labels]) == 2
    assert "缺少列 level" in capsys.readouterr().err

    assert main(["--scores", str(tmp_path / "missing.csv"), "--labels", labels]) == 2
    assert "找不到评分文件" in capsys.readouterr().err

    pl.DataFrame({"account_id": ["x"], "score": [0.5], "level": ["alert"]}).write_csv(tmp_path / "other.csv")
    assert main(["--scores", str(tmp_path / "other.csv"), "--labels", labels]) == 2
    assert "没有共同的 account_id" in capsys.readouterr().err

    pl.DataFrame({"account_id": ["x"], "score": ["high"], "level": ["alert"]}).write_csv(
        tmp_path / "text.csv"
    )
    assert main(["--scores", str(tmp_path / "text.csv"), "--labels", labels]) == 2
    assert "非数值" in capsys.readouterr().err
