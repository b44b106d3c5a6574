"""The only module that reads or writes files (Parquet or CSV)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analytics.clean import DAILY_COLUMNS, READING_COLUMNS, InputError, require_columns
from analytics.pipeline import SLOTS_PER_CHUNK, Chunk

SHANGHAI_OFFSET_US = 8 * 3600 * 1_000_000  # UTC+8 all year (no DST since 1991)
READ_ROWS = 4_000_000  # rows decoded at once (~50 MB): a row group, or a slice of a larger one
BUCKET_ROWS = 4_000_000  # an ungrouped file larger than this is sorted one hash bucket of accounts at a time


class NotGrouped(Exception):
    """A Parquet file whose readings are not grouped by account: read it whole and sort instead."""


def require_file(path: str | Path, source: str = "读数") -> Path:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{source}文件不存在：{path}")
    return path


def _read(path: str | Path, source: str, text_columns: tuple[str, ...] = ()) -> pl.DataFrame:
    path = require_file(path, source)
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            return pl.read_parquet(path)
        if path.suffix.lower() in (".csv", ".txt"):
            header = pl.read_csv(path, n_rows=0, encoding="utf8-lossy").columns
            overrides = {c: pl.String for c in text_columns if c in header}
            return pl.read_csv(
                path, schema_overrides=overrides, infer_schema_length=10_000, encoding="utf8-lossy"
            )
    except (pl.exceptions.PolarsError, OSError, pa.ArrowException) as exc:
        raise InputError(f"{source}文件无法读取：{path}（{exc}）") from exc
    raise InputError(f"{source}文件格式不支持：{path}（应为 .parquet 或 .csv）")


def read_readings(path: str | Path) -> pl.DataFrame:
    """15-minute readings: account_id, ts (local time, interval start), kw."""
    frame = _read(path, "读数", ("account_id", "ts"))
    require_columns(frame, READING_COLUMNS, f"读数文件 {path}")
    return frame


def read_daily(path: str | Path) -> pl.DataFrame:
    """Daily energy: account_id, date, kwh."""
    frame = _read(path, "日电量", ("account_id", "date"))
    require_columns(frame, DAILY_COLUMNS, f"日电量文件 {path}")
    return frame


def read_accounts(path: str | Path) -> pl.DataFrame:
    """Accounts: account_id, contracted_kva, industry, registered_furnace_kw, site_status."""
    frame = _read(path, "户档案", ("account_id", "industry", "site_status"))
    require_columns(frame, ("account_id",), f"户档案文件 {path}")
    return frame


def write_scores(scores: pl.DataFrame, path: str | Path) -> None:
    """account_id, score, level, reasons (UTF-8 CSV, or Parquet with every feature by extension)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in (".parquet", ".pq"):
        scores.write_parquet(path)
    else:
        scores.select("account_id", "score", "level", "reasons").write_csv(path)


def is_parquet(path: str | Path) -> bool:
    return Path(path).suffix.lower() in (".parquet", ".pq")


def parquet_rows(path: str | Path) -> int:
    return pq.ParquetFile(path).metadata.num_rows


def open_parquet(path: str | Path) -> pq.ParquetFile:
    """Account ids are read as dictionary indices (the Parquet dictionary pages as they are): one string
    per account and row group, never one per reading."""
    try:
        return pq.ParquetFile(require_file(path), read_dictionary=["account_id"])
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"读数文件无法读取：{path}（{exc}）") from exc


def iter_parquet_batches(path: str | Path, columns=READING_COLUMNS, max_rows: int = READ_ROWS,
                         parquet: pq.ParquetFile | None = None) -> Iterator[pa.RecordBatch]:  # fmt: skip
    """The file's rows in order, one batch per row group (a row group above `max_rows` in slices),
    decoded on the calling thread: the local engine runs this on its reader thread, beside the workers.
    Detection and the benchmark's read-and-reduce floor both read through here."""
    parquet = parquet or open_parquet(path)
    columns = list(columns)
    for group in range(parquet.num_row_groups):
        rows = parquet.metadata.row_group(group).num_rows
        if rows == 0:
            continue
        if rows <= max_rows:
            yield from parquet.read_row_group(group, columns=columns, use_threads=False).to_batches()
        else:
            yield from parquet.iter_batches(
                batch_size=max_rows, row_groups=[group], columns=columns, use_threads=False
            )


def iter_parquet_chunks(path: str | Path, rows_per_batch: int = READ_ROWS,
                        chunk_slots: int = SLOTS_PER_CHUNK) -> Iterator[Chunk]:  # fmt: skip
    """Stream a Parquet file grouped by account (e.g. sorted by account then ts) as chunks of whole
    accounts of about `chunk_slots` readings, without materialising account strings and without copying
    readings (chunks are views on the batch; only a chunk an account straddles two batches in is joined).
    Raises NotGrouped if an account reappears."""
    parquet = open_parquet(path)
    names = parquet.schema_arrow.names
    missing = [c for c in READING_COLUMNS if c not in names]
    if missing:
        raise InputError(f"读数文件 {path} 缺少必需列：{', '.join(missing)}（现有列：{', '.join(names)}）")
    ts_type = parquet.schema_arrow.field("ts").type
    if not pa.types.is_timestamp(ts_type):
        raise NotGrouped  # text times: the general path parses them
    seen: set[str] = set()
    carried: Chunk | None = None  # the batch's last chunk, held until the next batch shows whether its
    # last account goes on
    for batch in iter_parquet_batches(path, max_rows=rows_per_batch, parquet=parquet):
        if batch.num_rows == 0:
            continue
        chunk = _batch_to_chunk(batch, ts_type)
        ids = chunk.account_ids.tolist()
        continues = carried is not None and ids[0] == carried.account_ids[-1]
        if len(set(ids)) != len(ids) or not seen.isdisjoint(ids[1:] if continues else ids):
            raise NotGrouped
        seen.update(ids)
        pieces = split_chunk(chunk, chunk_slots)
        if carried is not None:
            if continues:
                pieces[0] = _join(carried, pieces[0])
            else:
                yield carried
        carried = pieces.pop()
        yield from pieces
    if carried is not None:
        yield carried


def split_chunk(chunk: Chunk, slots: int) -> list[Chunk]:
    """Views of whole accounts of about `slots` rows each (an account is never split)."""
    n = len(chunk.account_ids)
    if chunk.rows <= slots or n == 1:
        return [chunk]
    starts = np.searchsorted(chunk.codes, np.arange(n, dtype=chunk.codes.dtype))  # first row of each
    # account (same dtype as the codes, or numpy converts all of them first)
    cuts = np.unique(np.searchsorted(starts, np.arange(slots, chunk.rows, slots)))
    cuts = [0, *cuts[(cuts > 0) & (cuts < n)].tolist(), n]
    rows = [*starts[cuts[:-1]].tolist(), chunk.rows]
    return [
        Chunk(
            chunk.account_ids[a0:a1], chunk.codes[r0:r1] - np.int32(a0), chunk.ts_us[r0:r1], chunk.kw[r0:r1]
        )
        for a0, a1, r0, r1 in zip(cuts[:-1], cuts[1:], rows[:-1], rows[1:], strict=True)
    ]


def _batch_to_chunk(batch: pa.RecordBatch, ts_type: pa.TimestampType) -> Chunk:
    accounts, ts = batch.column("account_id"), batch.column("ts")
    if accounts.null_count or ts.null_count:
        raise NotGrouped  # nulls: let the general path count and drop them
    if not pa.types.is_dictionary(accounts.type):
        accounts = pc.dictionary_encode(accounts.cast(pa.string()))
    index = _view(accounts.indices)
    change = np.empty(len(index), bool)
    change[0], change[1:] = True, index[1:] != index[:-1]
    starts = np.flatnonzero(change)
    dictionary = np.array(accounts.dictionary.cast(pa.string()).to_pylist(), dtype=object)  # a few strings
    ids = dictionary[index[starts]]
    lengths = np.diff(np.append(starts, len(index)))
    codes = np.repeat(np.arange(len(starts), dtype=np.int32), lengths)  # = cumsum(change) - 1, cheaper
    if ts_type.unit != "us":
        ts = ts.cast(pa.timestamp("us", ts_type.tz))
    ts_us = _view(ts.view(pa.int64()))  # µs since epoch; slots are computed from it arithmetically
    if ts_type.tz:
        ts_us = ts_us + SHANGHAI_OFFSET_US
    kw = batch.column("kw").cast(pa.float32())
    kw = _view(kw) if kw.null_count == 0 else kw.to_numpy(zero_copy_only=False)
    return Chunk(ids, codes, ts_us, kw)


def _view(array: pa.Array) -> np.ndarray:
    """Zero-copy numpy view of a null-free fixed-width Arrow array (Arrow's own to_numpy imports pandas
    the first time, ~1 s without cached bytecode)."""
    dtype = np.dtype(array.type.to_pandas_dtype())
    return np.frombuffer(
        array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize
    )


def _join(head: Chunk, tail: Chunk) -> Chunk:
    """An account carried over from the previous batch (head's last), joined with the batch's first
    chunk that continues it."""
    return Chunk(
        np.concatenate([head.account_ids, tail.account_ids[1:]]),
        np.concatenate([head.codes, tail.codes + np.int32(len(head.account_ids) - 1)]),
        np.concatenate([head.ts_us, tail.ts_us]),
        np.concatenate([head.kw, tail.kw]),
    )


def iter_account_buckets(path: str | Path, bucket_rows: int | None = None) -> Iterator[pl.DataFrame]:
    """An ungrouped (e.g. unsorted) Parquet file as frames of whole accounts — hash buckets of account_id
    of about `bucket_rows` readings, each small enough to sort in memory — instead of one frame of the whole
    file. Each account's readings keep their order in the file. The buckets are spilled to a temporary
    folder, removed afterwards; a file of at most one bucket is read whole."""
    bucket_rows = bucket_rows or BUCKET_ROWS
    buckets = -(-parquet_rows(require_file(path)) // bucket_rows)
    if buckets <= 1:
        yield read_readings(path)
        return
    with tempfile.TemporaryDirectory(prefix="steelwatch-buckets-") as folder:
        writers: dict[int, pq.ParquetWriter] = {}
        try:
            for batch in pq.ParquetFile(path).iter_batches(batch_size=READ_ROWS):
                frame = pl.from_arrow(batch)
                require_columns(frame, READING_COLUMNS, f"读数文件 {path}")
                frame = frame.with_columns(_bucket=pl.col("account_id").cast(pl.String).hash() % buckets)
                for (key,), part in frame.partition_by("_bucket", as_dict=True, maintain_order=True).items():
                    table = part.drop("_bucket").to_arrow()
                    if key not in writers:
                        writers[key] = pq.ParquetWriter(Path(folder) / f"{key}.parquet", table.schema)
                    writers[key].write_table(table)
        except (OSError, pa.ArrowException) as exc:
            raise InputError(f"读数文件无法读取：{path}（{exc}）") from exc
        finally:
            for writer in writers.values():
                writer.close()
        for key in sorted(writers):
            yield pl.read_parquet(Path(folder) / f"{key}.parquet")
