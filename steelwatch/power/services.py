"""Every write of power monitoring, and the ONE place that calls `analytics`.

An upload is stored under UPLOAD_DIR and becomes a DetectionRun; its task (`detection_run_execute`) reads
the file, keeps the rows of registered accounts within the uploader's jurisdiction, archives them as Parquet
under READINGS_DIR (`<YYYY-MM>/run-<id>.parquet`, sorted by account and time), and then scores every account
the upload touches over a rolling window (settings.POWER_DETECTION_WINDOW_DAYS, ending with the day of the
upload's newest reading) of its archived readings merged with the upload — where uploads overlap, the newest
wins per account and interval. It hands plain polars frames to `analytics` (readings + the ledger's view of
the accounts) and stores what comes back: daily summaries of the uploaded days (rebuilt from the merged
readings) and alerts. A new run updates an account's open alert instead of adding another.
"""

import datetime
import io
import logging
import math
from collections.abc import Callable
from pathlib import Path

import polars as pl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import analytics
from analytics import io as readings_io
from analytics.clean import InputError, normalise_readings, regularise
from analytics.engines import ENGINES
from steelwatch.core import files
from steelwatch.core.access import require, user_covers_division
from steelwatch.core.jobs import failure_message
from steelwatch.core.notify import notify, users_with
from steelwatch.core.services import audited_create, audited_update
from steelwatch.core.text import public_message
from steelwatch.registry.models import Enterprise, Furnace, PowerAccount

from .models import Alert, AlertVersion, DailySummary, DetectionRun

logger = logging.getLogger(__name__)

Report = Callable[[int, str], None]
READING_SUFFIXES = (".csv", ".parquet", ".pq")
UPLOAD_FOLDER = "power"
LISTED_ACCOUNTS = 50  # unknown / rejected account ids kept on the run (the counts are complete)
ID_BATCH = 2000  # account ids per IN (...) query
SITE_STATUS = {
    Enterprise.Status.OPERATING: "operating",
    Enterprise.Status.IDLE: "idle",
    Enterprise.Status.CLOSED: "closed",
    Enterprise.Status.BANNED: "closed",
}


def _messages(exc: Exception) -> str:
    return public_message("；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))


# --- submitting readings ----------------------------------------------------------------------------------


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in READING_SUFFIXES:
        raise ValidationError(
            {"file": _("文件 {name} 格式不支持：读数文件应为 .csv 或 .parquet").format(name=name)}
        )
    return suffix


def _store_upload(
    *, upload=None, rows: list[dict] | None = None, source: Path | None = None
) -> tuple[str, str]:
    """Save what was submitted under UPLOAD_DIR (core/files.py); returns (relative path, original name)."""
    if rows is not None:
        if not rows:
            raise ValidationError({"rows": _("读数为空：rows 至少应有一行（account_id, ts, kw）")})
        out = io.BytesIO()
        pl.DataFrame(
            {
                "account_id": [str(r["account_id"]) for r in rows],
                "ts": [str(r["ts"]) for r in rows],
                "kw": [r["kw"] for r in rows],
            },
            schema={"account_id": pl.String, "ts": pl.String, "kw": pl.Float64},
        ).write_csv(out)
        return files.save_bytes(UPLOAD_FOLDER, out.getvalue(), "csv"), "rows.csv"
    if upload is not None:
        name = files.display_name(upload.name)
        return files.save_upload(UPLOAD_FOLDER, upload, _suffix(name)), name
    name = source.name
    if not source.is_file():
        raise ValidationError({"file": _("读数文件不存在：{source}").format(source=source.name)})
    return files.save_file(UPLOAD_FOLDER, source, _suffix(name)), name


def readings_submit(
    *,
    actor,
    via: str,
    upload=None,
    rows: list[dict] | None = None,
    source: Path | None = None,
    engine: str | None = None,
    interval: int | None = None,
) -> DetectionRun:
    """Store a readings file (an uploaded file, JSON rows or a local path) as a queued DetectionRun, to be
    run by `engine` (default settings.POWER_DETECTION_ENGINE)."""
    if actor is not None:
        require(actor, "power.upload")
    engine = engine or settings.POWER_DETECTION_ENGINE
    if engine not in ENGINES:
        raise ValidationError(
            {
                "engine": _("未知的计算引擎：{engine}（可选：{value}）").format(
                    engine=engine, value="、".join(ENGINES)
                )
            }
        )
    relative, name = _store_upload(upload=upload, rows=rows, source=source)
    run = DetectionRun(
        created_by=actor if getattr(actor, "pk", None) else None,
        via=via,
        file_name=name,
        upload_path=relative,
        engine=engine,
        declared_interval=interval,
        division_id=getattr(actor, "division_id", None) if actor is not None else None,
    )
    return audited_create(
        actor=actor, instance=run, action="readings_upload", division_code=run.division_id or ""
    )


@transaction.atomic
def readings_ingest_start(*, actor, via: str, upload=None, rows: list[dict] | None = None,
                          interval: int | None = None) -> DetectionRun:  # fmt: skip
    """Submit readings and start the background detection (the job runs after commit)."""
    from steelwatch.core.jobs import job_start

    from .tasks import detection_run_task

    run = readings_submit(actor=actor, via=via, upload=upload, rows=rows, interval=interval)
    run.job = job_start(
        kind="power_ingest",
        user=actor,
        task=detection_run_task,
        params={"run": run.pk},
        files=[run.upload_path],
    )
    run.save(update_fields=["job"])
    return run


# --- running detection ---------------------------------------------------------------------------------


def ledger_accounts(accounts: list[PowerAccount]) -> pl.DataFrame:
    """The accounts table `analytics` reads, as the ledger states it today."""
    in_use = Sum(
        "enterprise__furnaces__rated_kw", filter=Q(enterprise__furnaces__status=Furnace.Status.IN_USE)
    )
    furnace_kw = dict(
        PowerAccount.objects.filter(pk__in=[a.pk for a in accounts])
        .annotate(kw=in_use)
        .values_list("pk", "kw")
    )
    rows = []
    for account in accounts:
        enterprise = account.enterprise
        status = SITE_STATUS.get(enterprise.status, "operating") if enterprise else "operating"
        rows.append(
            {
                "account_id": account.account_id,
                "contracted_kva": float(account.contracted_kva),
                "industry": (enterprise.industry if enterprise else "") or account.industry,
                "registered_furnace_kw": float(furnace_kw.get(account.pk) or 0),
                "site_status": "closed" if account.closed_site_watch else status,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "account_id": pl.String,
            "contracted_kva": pl.Float64,
            "industry": pl.String,
            "registered_furnace_kw": pl.Float64,
            "site_status": pl.String,
        },
    )


def _registered(account_ids: list[str]) -> dict[str, PowerAccount]:
    found = {}
    for start in range(0, len(account_ids), ID_BATCH):
        batch = account_ids[start : start + ID_BATCH]
        found.update(
            (a.account_id, a)
            for a in PowerAccount.objects.filter(account_id__in=batch).select_related(
                "enterprise", "division"
            )
        )
    return found


def _partition(frame: pl.DataFrame, actor) -> tuple[pl.DataFrame, dict[str, PowerAccount], dict, dict]:
    """(rows kept, their accounts, {unknown id: rows}, {outside-jurisdiction id: rows})."""
    counts = dict(frame.group_by("account_id").len().iter_rows())
    known = _registered(sorted(counts))
    unknown = {a: n for a, n in counts.items() if a not in known}
    rejected = {
        a: counts[a]
        for a, acc in known.items()
        if actor is not None and not user_covers_division(actor, acc.division_id)
    }
    kept = {a: acc for a, acc in known.items() if a not in rejected}
    return frame.filter(pl.col("account_id").is_in(list(kept))), kept, unknown, rejected


def readings_dir() -> Path:
    return Path(settings.READINGS_DIR)


def _archive(frame: pl.DataFrame, run: DetectionRun, written: list[Path]) -> None:
    """Parquet per month: READINGS_DIR/<YYYY-MM>/run-<id>.parquet (written aside, then renamed into place);
    a stable sort, so that of a file's own duplicates the last to arrive stays last."""
    monthly = frame.sort("account_id", "ts", maintain_order=True).with_columns(
        month=pl.col("ts").dt.strftime("%Y-%m")
    )
    for (month,), part in monthly.group_by("month", maintain_order=True):
        target = readings_dir() / month / f"run-{run.pk}.parquet"
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        part.drop("month").write_parquet(partial, statistics=True, row_group_size=100_000)
        partial.replace(target)
        written.append(target)


def _ids_note(ids: dict, what: str) -> str:
    shown = "、".join(sorted(ids)[:10]) + ("等" if len(ids) > 10 else "")
    return f"{len(ids)} 个户号{what}（{shown}，共 {sum(ids.values()):,} 行），未检测、未存档"


def detection_run_execute(*, run: DetectionRun, report: Report | None = None) -> dict:
    """Run detection over a submitted file; on any failure nothing is kept and the run says why."""
    report = report or (lambda percent, message="": None)
    DetectionRun.objects.filter(pk=run.pk).update(status=DetectionRun.Status.RUNNING)
    written: list[Path] = []
    try:
        return _execute(run, report, written)
    except Exception as exc:
        for path in written:
            path.unlink(missing_ok=True)
        known = isinstance(exc, InputError | ValidationError)
        message = _messages(exc) if known else failure_message(exc, f"检测批次 #{run.pk}")
        if not known:
            logger.exception("detection run %s failed", run.pk)
        DetectionRun.objects.filter(pk=run.pk).update(
            status=DetectionRun.Status.FAILED, message=message, finished_at=timezone.now()
        )
        raise


def detection_run_abandon(*, run_id: int | None, message: str) -> None:
    """A run whose job failed or lost its worker: marked failed (unless it finished), archive files removed."""
    run = DetectionRun.objects.filter(pk=run_id).first()
    if run is None or run.status == DetectionRun.Status.DONE:
        return
    for pattern in (f"*/run-{run.pk}.parquet", f"*/run-{run.pk}.partial"):
        for path in readings_dir().glob(pattern):
            path.unlink(missing_ok=True)
    if run.status != DetectionRun.Status.FAILED:
        DetectionRun.objects.filter(pk=run.pk).update(
            status=DetectionRun.Status.FAILED, message=message, finished_at=timezone.now()
        )


def detection_run_refresh(run: DetectionRun) -> DetectionRun:
    """The run as its page shows it: if its job lost its worker, the job is reaped and the run marked failed."""
    from steelwatch.core.jobs import job_refresh

    if run.job is not None and not run.finished and job_refresh(run.job).finished:
        run.refresh_from_db()
    return run


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time())


def detection_window(upload: pl.DataFrame) -> tuple[datetime.date, datetime.date]:
    """The days a run scores: settings.POWER_DETECTION_WINDOW_DAYS ending with the upload's newest day."""
    last = upload["ts"].max().date()
    return last - datetime.timedelta(days=settings.POWER_DETECTION_WINDOW_DAYS - 1), last


def _merged_readings(
    upload: pl.DataFrame, run: DetectionRun, first: datetime.date, last: datetime.date
) -> pl.DataFrame:
    """The upload's accounts' readings from `first` to `last`: the archive of earlier finished runs (the newest
    run winning per account and interval) minus every interval the upload re-sends, then the upload as it came
    (its own duplicates are left for the cleaner to count). Sorted stably by account and time."""
    archived = archived_readings(upload["account_id"].unique().to_list(), first, last, exclude_run=run.pk)
    older = (
        archived.sort("run", maintain_order=True)
        .unique(["account_id", "ts"], keep="last")
        .join(upload.select("account_id", "ts").unique(), on=["account_id", "ts"], how="anti")
        .select("account_id", "ts", "kw")
    )
    return pl.concat([older, upload.select("account_id", "ts", "kw")]).sort(
        "account_id", "ts", maintain_order=True
    )


def _drop_future(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """Readings stamped after now (a meter clock gone wrong) would move the detection window into the
    future: they are dropped and counted in the run's data-quality notes."""
    now = timezone.localtime().replace(tzinfo=None)
    future = frame.filter(pl.col("ts") > now)
    if not future.height:
        return frame, []
    return frame.filter(pl.col("ts") <= now), [
        f"数据质量：{future.height:,} 行读数时间晚于当前时间（最晚 {future['ts'].max():%Y-%m-%d %H:%M}，"
        f"涉及 {future['account_id'].n_unique():,} 户），疑为表计时钟错误，已丢弃。"
    ]


def _interval_notes(frame: pl.DataFrame, declared: int | None) -> list[str]:
    """The intervals found per account, and where they differ from the one declared at upload."""
    if not frame.height:
        return []
    found = frame.group_by("interval_min").agg(pl.col("account_id").n_unique()).sort("interval_min")
    parts = [
        f"{minutes} 分钟 {n:,} 户" if minutes < 1440 else f"日电量 {n:,} 户"
        for minutes, n in found.iter_rows()
    ]
    notes = [_("读数间隔（按时间戳逐户识别）：{parts}。").format(parts="，".join(parts))]
    detected = (
        frame.filter(pl.col("interval_min") != (15 if declared == 5 else declared)) if declared else None
    )
    if detected is not None and detected.height:
        ids = detected["account_id"].unique().sort()
        notes.append(
            _("申报间隔为 {declared} 分钟，但 {n} 户（{shown}）的时间戳间隔不同，已按识别结果处理。").format(
                declared=declared, n=f"{len(ids):,}", shown="、".join(ids.head(5).to_list())
            )
        )
    return notes


def _uploaded_days(upload: pl.DataFrame) -> pl.DataFrame:
    return upload.select("account_id", day=pl.col("ts").dt.date()).unique()


def _execute(run: DetectionRun, report: Report, written: list[Path]) -> dict:
    actor = run.created_by
    report(5, "正在读取读数文件")
    raw = readings_io.read_readings(settings.UPLOAD_DIR / run.upload_path, name=run.file_name)
    source = f"读数文件 {run.file_name}"
    frame, bad_rows = normalise_readings(raw, source)
    regular = regularise(frame, source)  # interval per account; 5-minute readings → 15-minute kW
    frame = regular.frame.drop("interval_min")
    frame, notes = _drop_future(frame)
    notes += _interval_notes(regular.frame, run.declared_interval)
    if regular.averaged_rows:
        notes.append(f"数据质量：{regular.averaged_rows:,} 行 1–10 分钟读数已合并为 15 分钟平均功率。")
    report(10, "正在核对户号与管辖范围")
    frame, accounts, unknown, rejected = _partition(frame, actor)
    if unknown:
        notes.append(_ids_note(unknown, "未在台账中登记"))
    if rejected:
        notes.append(_ids_note(rejected, "不在您的管辖范围内，已拒收"))
    if not frame.height:
        raise InputError(
            "；".join(
                [_("没有可用的读数：读入 {rows} 行，没有一行可以检测").format(rows=f"{raw.height:,}")]
                + ([_("{n} 行户号或时间无法解析").format(n=f"{bad_rows:,}")] if bad_rows else [])
                + [note.removeprefix("数据质量：").rstrip("。") for note in notes]
            )
        )

    scores = daily = None
    quality, window, uploaded = "", (None, None), (None, None)
    if frame.height:
        _archive(frame, run, written)
        window = detection_window(frame)
        uploaded = (frame["ts"].min().date(), window[1])
        report(12, "正在合并存档读数")
        merged = _merged_readings(frame, run, min(uploaded[0], window[0]), window[1])
        scored = merged.filter(pl.col("ts") >= _midnight(window[0]))
        report(15, f"正在检测 {len(accounts)} 户（{window[0]}—{window[1]}）")

        def progress(done: int, total: int) -> None:
            report(15 + int(65 * done / max(total, 1)), f"正在检测：已处理 {done:,} / {total:,} 行")

        spark_master = settings.POWER_SPARK_MASTER if run.engine == "spark" else None
        scores, quality_report = analytics.detect_with_report(
            scored,
            ledger_accounts(list(accounts.values())),
            engine=run.engine,
            spark_master=spark_master,
            progress=progress,
        )
        quality_report.bad_rows += bad_rows
        quality_report.rows_in += bad_rows
        quality = (
            f"检测窗口 {window[0]}—{window[1]}（本次上传与此前存档读数合并，同户同时刻以最新上传为准）"
            f"{quality_report.summary_zh()}"
        )
        report(85, "正在汇总日用电量")
        daily = analytics.daily_summary(merged)
    elif bad_rows:
        quality = f"数据质量：{bad_rows:,} 行户号或时间无法解析，已丢弃。"

    report(88, "正在保存日汇总")
    if daily is not None:  # derived data, upserted in short batches (each its own transaction)
        _store_daily(daily.join(_uploaded_days(frame), on=["account_id", "day"], how="semi"), accounts, run)
    report(95, "正在保存告警")
    with transaction.atomic():  # alerts and the run's result together: one short transaction
        if daily is not None:
            spans = _spans(daily.filter(pl.col("day") >= window[0]))
            counts = _store_alerts(scores, accounts, spans, run)
        else:
            counts = {"alert": 0, "watch": 0, "recovered": 0}
        changes = {
            "status": DetectionRun.Status.DONE,
            "finished_at": timezone.now(),
            "rows_in": raw.height,
            "rows_stored": frame.height,
            "account_count": len(accounts),
            "alert_count": counts["alert"],
            "watch_count": counts["watch"],
            "quality": "\n".join([quality, *notes]).strip(),
            "unknown_accounts": sorted(unknown)[:LISTED_ACCOUNTS],
            "rejected_accounts": sorted(rejected)[:LISTED_ACCOUNTS],
            "readings_path": f"*/run-{run.pk}.parquet" if written else "",
            "period_start": uploaded[0],
            "period_end": uploaded[1],
            "window_start": window[0],
            "window_end": window[1],
        }
        changes["message"] = (
            f"检测完成：{len(accounts)} 户，告警 {counts['alert']} 户，关注 {counts['watch']} 户"
            + (f"；{counts['recovered']} 条告警已恢复正常" if counts.get("recovered") else "")
            + (f"；{len(unknown)} 个户号未登记" if unknown else "")
            + (f"；{len(rejected)} 个户号不在管辖范围内已拒收" if rejected else "")
            + (f"；检测窗口 {window[0]}—{window[1]}" if window[0] else "")
        )
        audited_update(
            actor=actor,
            instance=run,
            changes=changes,
            action="detection_run",
            division_code=run.division_id or "",
        )
    return {
        "run": run.pk,
        "url": reverse("power:run_detail", args=[run.pk]),
        "message": run.message,
        "alerts": counts["alert"],
        "watch": counts["watch"],
        "quality": run.quality,
        "unknown_accounts": run.unknown_accounts,
        "rejected_accounts": run.rejected_accounts,
    }


DAILY_BATCH = 2000  # daily summaries per write transaction (SQLite: the write lock is held this long only)


def _store_daily(daily: pl.DataFrame, accounts: dict[str, PowerAccount], run) -> None:
    """Upsert one row per account and day, in short transactions of DAILY_BATCH rows."""
    rows = [
        DailySummary(
            account=accounts[r["account_id"]],
            day=r["day"],
            run=run,
            kwh=round(r["kwh"], 2),
            peak_kw=round(r["peak_kw"], 2),
            night_kwh=round(r["night_kwh"], 2),
            night_share=round(r["night_share"], 4),
            active_intervals=r["active_intervals"],
        )
        for r in daily.iter_rows(named=True)
    ]
    for start in range(0, len(rows), DAILY_BATCH):
        DailySummary.objects.bulk_create(
            rows[start : start + DAILY_BATCH],
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["account", "day"],
            update_fields=["run", "kwh", "peak_kw", "night_kwh", "night_share", "active_intervals"],
        )


def _spans(daily: pl.DataFrame) -> dict[str, tuple]:
    """{account_id: (first day, last day)} of the days with readings."""
    spans = daily.group_by("account_id").agg(pl.col("day").min().alias("lo"), pl.col("day").max().alias("hi"))
    return {a: (lo, hi) for a, lo, hi in spans.iter_rows()}


def _json_number(value):
    """NaN and infinities are not JSON (PostgreSQL refuses them): store them as null."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _alert_level(row: dict, account: PowerAccount) -> str | None:
    if row["level"] not in Alert.Level.values:
        return None
    # A site under closed-site watch may show no life at all: anything found there is an alert.
    return Alert.Level.ALERT if account.closed_site_watch else row["level"]


def _version(alert: Alert) -> None:
    AlertVersion.objects.create(
        alert=alert, run=alert.run, score=alert.score, tonnes=alert.tonnes, level=alert.level, status=alert.status,
        reasons=alert.reasons, features=alert.features, period_start=alert.period_start, period_end=alert.period_end,
    )  # fmt: skip


def _store_alerts(scores: pl.DataFrame, accounts: dict[str, PowerAccount], spans: dict, run) -> dict:
    """Raise, re-score or clear alerts from a run's scores. An open alert follows the data: newer readings
    re-score it and replace its reasons, or — scored normal now — mark it 已恢复正常 with the window's last
    day. Every state is kept as an AlertVersion."""
    feature_columns = [c for c in scores.columns if c not in ("account_id", "score", "level", "reasons")]
    rows = [
        (r, accounts[r["account_id"]])
        for r in scores.iter_rows(named=True)
        if r["account_id"] in accounts and r["account_id"] in spans
    ]
    pks = [a.pk for _row, a in rows]
    open_alerts = {
        a.account_id: a
        for a in Alert.objects.filter(account_id__in=pks, status__in=Alert.OPEN_STATUSES)
        .select_related("account")
        .order_by("id")
    }
    dismissed_until = dict(
        Alert.objects.filter(account_id__in=pks, status=Alert.Status.DISMISSED)
        .values("account_id")
        .annotate(until=Max("period_end"))
        .values_list("account_id", "until")
    )
    counts = {"alert": 0, "watch": 0, "recovered": 0}
    for row, account in rows:
        start, end = spans[account.account_id]
        level = _alert_level(row, account)
        alert = open_alerts.get(account.pk)
        if alert is not None and alert.period_end > end:
            continue  # a late upload of older days: the alert already rests on newer evidence
        values = {
            "run": run,
            "score": round(row["score"], 4),
            "tonnes": round(_json_number(row.get("tonnes")) or 0.0, 2),
            "reasons": row["reasons"],
            "features": {c: _json_number(row[c]) for c in feature_columns},
        }
        if level is None:
            if alert is not None:
                _recover(alert, values, end, run)
                counts["recovered"] += 1
            continue
        values["level"] = level
        if alert is not None:
            raised = (
                level == Alert.Level.ALERT and alert.level != level and alert.status != Alert.Status.ESCALATED
            )
            audited_update(
                actor=None,
                instance=alert,
                action="alert_update",
                reason=f"检测批次 #{run.pk}",
                changes={
                    **values,
                    "period_start": min(alert.period_start, start),
                    "period_end": max(alert.period_end, end),
                },
            )
        elif dismissed_until.get(account.pk) and dismissed_until[account.pk] >= end:
            continue  # this period was already looked at and dismissed
        else:
            alert = Alert(account=account, period_start=start, period_end=end, **values)
            audited_create(
                actor=None,
                instance=alert,
                action="alert_raise",
                reason=f"检测批次 #{run.pk}",
                division_code=account.division_id,
            )
            raised = level == Alert.Level.ALERT
        _version(alert)
        counts[level] += 1
        if raised:
            _notify_alert(alert)
    return counts


def _recover(alert: Alert, values: dict, end: datetime.date, run) -> None:
    """Newer readings score normal: the alert says so with the date (an escalated one keeps its case and
    status, and its reasons say the load is back to normal)."""
    note = _("{day} 的最新检测窗口内用电已恢复正常").format(day=end.isoformat())
    changes = {
        **values,
        "reasons": f"{note}（此前：{alert.reasons}）"[:4000],
        "period_end": max(alert.period_end, end),
    }
    if alert.status != Alert.Status.ESCALATED:
        changes |= {"status": Alert.Status.RECOVERED, "recovered_on": end}
    audited_update(
        actor=None, instance=alert, action="alert_recover", reason=f"检测批次 #{run.pk}", changes=changes
    )
    _version(alert)


def _notify_alert(alert: Alert) -> None:
    account = alert.account
    who = f"（{account.enterprise.name}）" if account.enterprise_id else ""
    text = f"用电异常告警：户号 {account.account_id}{who}，评分 {alert.score:.2f}。{alert.reasons}"
    notify(
        users_with("alerts.view", account.division_id), text, reverse("power:alert_detail", args=[alert.pk])
    )


# --- handling alerts -------------------------------------------------------------------------------------


def _check_open(alert: Alert, doing: str) -> None:
    if alert.status not in (Alert.Status.NEW, Alert.Status.ACKNOWLEDGED):
        raise ValidationError(
            {
                "status": _("告警 #{pk} 当前状态为“{status}”，不能{doing}").format(
                    pk=alert.pk, status=alert.get_status_display(), doing=doing
                )
            }
        )


def _handled(actor) -> dict:
    return {"handled_by": actor if getattr(actor, "pk", None) else None, "handled_at": timezone.now()}


def alert_acknowledge(*, actor, alert: Alert) -> Alert:
    require(actor, "alerts.handle")
    if alert.status != Alert.Status.NEW:
        raise ValidationError(
            {
                "status": _("告警 #{pk} 当前状态为“{status}”，无需确认").format(
                    pk=alert.pk, status=alert.get_status_display()
                )
            }
        )
    return audited_update(
        actor=actor,
        instance=alert,
        action="alert_acknowledge",
        changes={"status": Alert.Status.ACKNOWLEDGED, **_handled(actor)},
    )


def alert_dismiss(*, actor, alert: Alert, reason: str) -> Alert:
    require(actor, "alerts.handle")
    _check_open(alert, _("排除"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写排除理由（如：经现场核实为合法热处理用电）")})
    return audited_update(
        actor=actor,
        instance=alert,
        action="alert_dismiss",
        reason=reason,
        changes={"status": Alert.Status.DISMISSED, "dismiss_reason": reason, **_handled(actor)},
    )


@transaction.atomic
def alert_escalate(*, actor, alert: Alert, title: str = "", note: str = ""):
    """Open a verification case for the alert (cases.services.case_open) and link it. `title` replaces the
    generated title, `note` is added to the description."""
    from steelwatch.cases.services import case_open

    require(actor, "alerts.handle")
    _check_open(alert, _("转核查"))
    account = alert.account
    enterprise = account.enterprise
    place = enterprise.name if enterprise else (account.address or f"户号 {account.account_id}")
    case = case_open(
        actor=actor,
        title=(title.strip() or f"用电异常核查：{place}")[:200],
        source="power_alert",
        source_ref=f"alert:{alert.pk}",
        division_code=account.division_id,
        enterprise=enterprise,
        address=(enterprise.address if enterprise else "") or account.address,
        description="\n".join(
            filter(
                None,
                [
                    f"用电告警 #{alert.pk}（户号 {account.account_id}，{alert.period_start}—"
                    f"{alert.period_end}，评分 {alert.score:.2f}）：{alert.reasons}",
                    note.strip(),
                ],
            )
        ),  # fmt: skip
    )
    audited_update(
        actor=actor,
        instance=alert,
        action="alert_escalate",
        reason=f"案件 #{case.pk}",
        changes={"status": Alert.Status.ESCALATED, "case": case, **_handled(actor)},
    )
    return case


# --- reading the archive back (the alert page's chart) ----------------------------------------------------

CHART_MAX_DAYS = 62  # the curve shows at most the last two months of an alert's period


def _months(start: datetime.date, end: datetime.date) -> list[str]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(f"{month:%Y-%m}")
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _archive_files(first: datetime.date, last: datetime.date) -> dict[int, list[Path]]:
    """{run id: its monthly Parquet files} of the finished runs whose archive covers months first..last."""
    files: dict[int, list[Path]] = {}
    for month in _months(first, last):
        for path in (readings_dir() / month).glob("run-*.parquet"):
            run_id = path.stem.removeprefix("run-")
            if run_id.isdigit():
                files.setdefault(int(run_id), []).append(path)
    done = DetectionRun.objects.filter(pk__in=list(files), status=DetectionRun.Status.DONE)
    return {pk: files[pk] for pk in sorted(done.values_list("pk", flat=True))}


def archived_readings(
    account_ids: list[str], first: datetime.date, last: datetime.date, *, exclude_run: int | None = None
) -> pl.DataFrame:
    """Archived readings (account_id, ts, kw, run) of these accounts from `first` to `last` inclusive, as every
    finished run stored them. Only the row groups that may match are read (filter on account and time)."""
    lo, hi = _midnight(first), _midnight(last + datetime.timedelta(days=1))
    wanted = pl.col("ts").is_between(lo, hi, closed="left") & pl.col("account_id").is_in(account_ids)
    scans = [
        pl.scan_parquet(path).filter(wanted).select("account_id", "ts", "kw").with_columns(run=pl.lit(run_id))
        for run_id, paths in _archive_files(first, last).items()
        if run_id != exclude_run
        for path in paths
    ]
    if not scans:
        return pl.DataFrame(
            schema={"account_id": pl.String, "ts": pl.Datetime("us"), "kw": pl.Float64, "run": pl.Int32}
        )
    return pl.concat(scans).collect()


def load_curve(account_id: str, start: datetime.date, end: datetime.date) -> pl.DataFrame:
    """One account's archived 15-minute readings (ts, kw) from start to end inclusive; where several runs
    hold the same interval the latest run wins."""
    archived = archived_readings([account_id], start, end)
    return archived.sort("run", maintain_order=True).unique("ts", keep="last").sort("ts").select("ts", "kw")


SLOT = datetime.timedelta(minutes=15)


def curve_points(curve: pl.DataFrame) -> list[list]:
    """The load curve as [time, kW] pairs on every 15-minute slot from the first reading to the last: a slot
    with no reading (a meter outage, a gap between uploads) is [time, None], so the chart breaks the line
    there rather than drawing a straight line across the gap."""
    stamp = "%Y-%m-%d %H:%M"
    points, previous = [], None
    for t, kw in curve.sort("ts").iter_rows():
        if previous is not None:
            gap = previous + SLOT
            while gap < t:
                points.append([gap.strftime(stamp), None])
                gap += SLOT
        points.append([t.strftime(stamp), None if kw is None else round(kw, 1)])
        previous = t
    return points


def alert_chart(alert: Alert) -> dict:
    """Everything the alert page's ECharts needs, as plain JSON: the curve, the melt cycles the detector
    finds in it, the capacity lines, the daily bars and the capacity-increase requests."""
    account = alert.account
    start = max(alert.period_start, alert.period_end - datetime.timedelta(days=CHART_MAX_DAYS - 1))
    curve = load_curve(account.account_id, start, alert.period_end)
    segments = analytics.melt_segments(curve["ts"], curve["kw"]) if curve.height else []
    furnace_kw = ledger_accounts([account])["registered_furnace_kw"][0]
    daily = account.daily_summaries.filter(day__range=(alert.period_start, alert.period_end)).order_by("day")
    stamp = "%Y-%m-%d %H:%M"
    return {
        "curve": curve_points(curve),
        "segments": [[a.strftime(stamp), b.strftime(stamp), round(peak, 1)] for a, b, peak in segments],
        "contracted_kw": float(account.contracted_kva),  # kVA ≈ kW at a power factor near 1
        "furnace_kw": furnace_kw,
        "daily": [[d.day.isoformat(), round(d.kwh), round(d.night_kwh)] for d in daily],
        "requests": [
            [r.requested_on.isoformat(), float(r.to_kva), r.get_status_display()]
            for r in account.capacity_requests.all()
        ],
        "truncated": start > alert.period_start,
    }
