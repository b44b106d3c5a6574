"""Scores a detector's output against simulator labels (see docs/evaluation.md).

Pure metric functions (`roc_auc`, `precision_recall`, `per_kind_recall`, `precision_at_prevalence`,
`evaluate`) and the `steelwatch evaluate` command `main(argv)`.
"""

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
import polars as pl

SCORE_COLUMNS = ("account_id", "score", "level")
LABEL_COLUMNS = ("account_id", "label", "kind")
DEFAULT_PREVALENCES = (0.001, 0.01)


class InputError(Exception):
    """A problem with the input files, worded for the user (Chinese)."""


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve as the Mann–Whitney statistic: the chance that a random positive scores
    above a random negative, ties counting one half (average ranks). NaN without both classes."""
    labels = np.asarray(labels).astype(bool)
    scores = np.asarray(scores, float)
    positives, negatives = labels.sum(), (~labels).sum()
    if positives == 0 or negatives == 0:
        return math.nan
    _, tie_group, tie_count = np.unique(scores, return_inverse=True, return_counts=True)
    last_rank = np.cumsum(tie_count)
    average_rank = (last_rank - (tie_count - 1) / 2)[tie_group]
    return float((average_rank[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


def precision_recall(labels: np.ndarray, flagged: np.ndarray) -> tuple[float, float]:
    """(precision, recall) of boolean flags; NaN where undefined (nothing flagged / no positives)."""
    labels, flagged = np.asarray(labels).astype(bool), np.asarray(flagged).astype(bool)
    hits = (labels & flagged).sum()
    return ratio(hits, flagged.sum()), ratio(hits, labels.sum())


def flag_rate_by_kind(kinds: np.ndarray, flagged: np.ndarray) -> dict[str, dict]:
    """Per kind: accounts, how many are flagged and the share."""
    out = {}
    for kind in sorted(set(kinds.tolist())):
        mine = kinds == kind
        out[kind] = {
            "n": int(mine.sum()),
            "flagged": int(flagged[mine].sum()),
            "rate": float(flagged[mine].mean()),
        }
    return out


def per_kind_recall(labels: np.ndarray, kinds: np.ndarray, flagged: np.ndarray) -> dict[str, dict]:
    """Recall of each illegal (label 1) kind."""
    positive = np.asarray(labels).astype(bool)
    return flag_rate_by_kind(np.asarray(kinds)[positive], np.asarray(flagged)[positive])


def false_alert_rate_by_kind(labels: np.ndarray, kinds: np.ndarray, flagged: np.ndarray) -> dict[str, dict]:
    """Share of each legitimate (label 0) kind that is flagged."""
    negative = ~np.asarray(labels).astype(bool)
    return flag_rate_by_kind(np.asarray(kinds)[negative], np.asarray(flagged)[negative])


def precision_at_prevalence(tpr: float, fpr: float, prevalence: float) -> float:
    """Precision expected when a share `prevalence` of accounts is illegal: TPR·π / (TPR·π + FPR·(1−π))."""
    true_alerts = tpr * prevalence
    return ratio(true_alerts, true_alerts + fpr * (1 - prevalence))


def evaluate(
    scores: pl.DataFrame, labels: pl.DataFrame, prevalences: tuple[float, ...] = DEFAULT_PREVALENCES
) -> dict:
    """All metrics as a JSON-able dict. A labelled account the detector did not score counts as
    unflagged with the lowest score; scored accounts without a label are ignored."""
    scores = scores.unique("account_id", keep="first")
    merged = labels.join(scores, on="account_id", how="left")
    unscored = merged["score"].fill_nan(None).is_null()
    if unscored.all():
        raise InputError("错误：评分文件与标签文件没有共同的 account_id（no overlapping account_id）")
    score = merged["score"].to_numpy().astype(float)
    score[unscored.to_numpy()] = np.nanmin(score) - 1
    level = merged["level"].fill_null("").str.strip_chars().str.to_lowercase().to_numpy()
    label = merged["label"].to_numpy().astype(bool)
    kind = merged["kind"].to_numpy().astype(str)
    alert = level == "alert"
    watch_or_alert = alert | (level == "watch")

    precision, recall = precision_recall(label, alert)
    fpr = ratio((alert & ~label).sum(), (~label).sum())
    revival = kind == "closed_site_revival"
    return {
        "accounts": len(merged),
        "positives": int(label.sum()),
        "negatives": int((~label).sum()),
        "unscored": int(unscored.sum()),
        "unlabelled": scores.height - int((~unscored).sum()),
        "roc_auc": roc_auc(label, score),
        "alerts": int(alert.sum()),
        "precision": precision,
        "recall": recall,
        "false_alert_rate": fpr,
        "false_alerts_per_1000_legitimate": fpr * 1000,
        "watch_or_alert_recall": precision_recall(label, watch_or_alert)[1],
        "watch_or_alert_false_rate": ratio((watch_or_alert & ~label).sum(), (~label).sum()),
        "recall_by_kind": per_kind_recall(label, kind, alert),
        "false_alert_rate_by_kind": false_alert_rate_by_kind(label, kind, alert),
        "precision_at_prevalence": [
            {
                "prevalence": p,
                "precision": precision_at_prevalence(recall, fpr, p),
                "true_alerts_per_10000": recall * p * 10_000,
                "false_alerts_per_10000": fpr * (1 - p) * 10_000,
            }
            for p in prevalences
        ],
        "closed_site_revival": {
            "n": int(revival.sum()),
            "alerted": int(alert[revival].sum()),
            "all_alerted": bool(alert[revival].all()) if revival.any() else None,
            "missed": sorted(merged["account_id"].filter(pl.Series(revival & ~alert)).to_list()),
        },
    }


def read_table(path: Path, required: tuple[str, ...], what: str) -> pl.DataFrame:
    if not path.is_file():
        raise InputError(f"错误：找不到{what}文件 {path}（file not found）")
    try:
        df = pl.read_parquet(path) if path.suffix == ".parquet" else pl.read_csv(path, infer_schema_length=0)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(f"错误：无法读取{what}文件 {path}：{exc}") from exc
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(f"错误：{what}文件 {path} 缺少列 {', '.join(missing)}（需要 {', '.join(required)}）")
    return df.with_columns(pl.col("account_id").cast(pl.String).str.strip_chars())


def as_number(df: pl.DataFrame, column: str, dtype: type[pl.DataType], path: Path) -> pl.DataFrame:
    try:
        return df.with_columns(pl.col(column).cast(pl.String).str.strip_chars().cast(dtype))
    except pl.exceptions.PolarsError as exc:
        raise InputError(f"错误：{path} 的 {column} 列含有非数值（non-numeric {column}）") from exc


def load(scores_path: Path, labels_path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    scores = as_number(read_table(scores_path, SCORE_COLUMNS, "评分"), "score", pl.Float64, scores_path)
    labels = as_number(read_table(labels_path, LABEL_COLUMNS, "标签"), "label", pl.Int64, labels_path)
    if not labels["label"].is_in([0, 1]).all():
        raise InputError(f"错误：{labels_path} 的 label 列只能是 0 或 1")
    labels = labels.unique("account_id", keep="first")
    return scores.select(SCORE_COLUMNS), labels.select(LABEL_COLUMNS)


def percent(x: float) -> str:
    return "—" if x is None or math.isnan(x) else f"{x:.1%}"


def report(m: dict) -> str:
    """The metrics as a Chinese text report with English identifiers."""
    lines = [
        "检测评估结果（evaluate）",
        f"  账户数 (accounts) {m['accounts']}：违法 (positives) {m['positives']}，合法 (negatives) {m['negatives']}；"
        f"未评分 (unscored) {m['unscored']}，无标签 (unlabelled) {m['unlabelled']}",
        f"  ROC AUC (roc_auc)：{m['roc_auc']:.4f}",
        f"  告警 (level == alert) {m['alerts']} 户：精确率 (precision) {percent(m['precision'])}，"
        f"召回率 (recall) {percent(m['recall'])}",
        f"  误报率 (false_alert_rate) {percent(m['false_alert_rate'])}，"
        f"即每 1000 户合法户误报 {m['false_alerts_per_1000_legitimate']:.1f} 户",
        f"  关注+告警 (watch_or_alert) 召回率 {percent(m['watch_or_alert_recall'])}，"
        f"合法户被关注或告警的比例 {percent(m['watch_or_alert_false_rate'])}",
        "",
        "各违法类型召回率 (recall_by_kind)：",
        *(
            f"  {kind:<32} {v['flagged']:>5} / {v['n']:<5} {percent(v['rate']):>7}"
            for kind, v in m["recall_by_kind"].items()
        ),
        "",
        "各合法类型误报率 (false_alert_rate_by_kind)：",
        *(
            f"  {kind:<32} {v['flagged']:>5} / {v['n']:<5} {percent(v['rate']):>7}"
            for kind, v in m["false_alert_rate_by_kind"].items()
        ),
        "",
        "按现实违法比例推算的告警精确率 (precision_at_prevalence)：",
        *(
            f"  违法比例 1/{round(1 / p['prevalence'])} (prevalence {p['prevalence']:g})：精确率 {percent(p['precision'])}；"
            f"每 1 万户约 {p['true_alerts_per_10000']:.1f} 户真告警、{p['false_alerts_per_10000']:.1f} 户误报"
            for p in m["precision_at_prevalence"]
        ),
        "",
    ]
    revival = m["closed_site_revival"]
    if revival["n"] == 0:
        lines.append("已关停户复电检查 (closed_site_revival)：标签中没有此类")
    elif revival["all_alerted"]:
        lines.append(f"已关停户复电检查 (closed_site_revival)：通过，{revival['n']} 户全部告警")
    else:
        lines.append(
            f"已关停户复电检查 (closed_site_revival)：未通过，{revival['n']} 户中漏告警 "
            f"{len(revival['missed'])} 户：{', '.join(revival['missed'][:20])}"
            + (" …" if len(revival["missed"]) > 20 else "")
        )
    return "\n".join(lines)


def json_safe(value):
    """NaN → null, recursively, so the output is strict JSON."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    return value


def parse_prevalences(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(x) for x in text.split(",") if x.strip())
    except ValueError:
        values = ()
    if not values or not all(0 < v < 1 for v in values):
        raise argparse.ArgumentTypeError("须为逗号分隔的 0 到 1 之间的小数，例如 0.001,0.01")
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="steelwatch evaluate", description="用模拟标签评估检测结果")
    parser.add_argument(
        "--scores", type=Path, required=True, help="检测输出 scores.csv（account_id, score, level, reasons）"
    )
    parser.add_argument(
        "--labels", type=Path, required=True, help="模拟标签 labels.csv（account_id, label, kind）"
    )
    parser.add_argument(
        "--prevalence",
        type=parse_prevalences,
        default=DEFAULT_PREVALENCES,
        help="推算精确率用的现实违法比例，逗号分隔（默认 0.001,0.01）",
    )
    parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    try:
        args = parser.parse_args(argv[1:] if argv and argv[0] == "evaluate" else argv)
    except SystemExit as exit_:  # --help or a usage error
        return int(exit_.code or 0)
    try:
        metrics = evaluate(*load(args.scores, args.labels), args.prevalence)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(json.dumps(json_safe(metrics), ensure_ascii=False) if args.json else report(metrics))
    return 0
