"""The only module that reads or writes files (Parquet or CSV)."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analytics import clean
from analytics.clean import DAILY_COLUMNS, READING_COLUMNS, SLOT_US, InputError, require_columns
from analytics.pipeline import SLOTS_PER_CHUNK, Chunk

SHANGHAI_OFFSET_US = 8 * 3600 * 1_000_000  # UTC+8 all year (no DST since 1991)
READ_ROWS = 4_000_000  # rows decoded at once (~50 MB): a row group, or a slice of a larger one
BUCKET_ROWS = 4_000_000  # an ungrouped file larger than this is sorted one hash bucket of accounts at a time


class NotGrouped(Exception):
    """A Parquet file whose readings are not grouped by account: read it whole and sort instead."""


def require_file(path: str | Path, source: str = "读数", name: str | None = None) -> Path:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{source}文件不存在：{name or path.name}")
    return path


ENCODINGS = ("utf-8", "gb18030")  # GB18030 is a superset of GBK and GB2312
SNIFF_BYTES = 1 << 20


def text_encoding(path: Path, source: str, name: str) -> str:
    """UTF-8 (with or without a BOM) or GBK/GB18030, decided on the whole file read in 1 MB steps; else an
    InputError that says which encodings were tried and where the first bad byte is."""
    import codecs

    failures = []
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        offset = 0
        try:
            with path.open("rb") as stream:
                while block := stream.read(SNIFF_BYTES):
                    decoder.decode(block)
                    offset += len(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError as exc:
            failures.append(f"{encoding.upper()} 在第 {offset + exc.start + 1:,} 字节处无法解码")
    raise InputError(
        f"{source}文件 {name} 的文字编码无法识别（{'；'.join(failures)}）：请另存为 UTF-8 或 GBK 编码的 CSV"
    )


def _message(exc: Exception, path: Path, name: str) -> str:
    """The library's own words, without the server's folder names."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text.replace(str(path), name).replace(str(path.parent), "")[:300]


def _read(
    path: str | Path, source: str, text_columns: tuple[str, ...] = (), name: str | None = None
) -> pl.DataFrame:
    path = require_file(path, source, name)
    name = name or path.name
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            return pl.read_parquet(path)
        if path.suffix.lower() in (".csv", ".txt"):
            encoding = text_encoding(path, source, name)
            data = path if encoding == "utf-8" else io.BytesIO(path.read_bytes().decode(encoding).encode())
            header = pl.read_csv(data, n_rows=0).columns
            header = [c.strip() for c in header]
            overrides = {c: pl.String for c in text_columns if c in header}
            if not isinstance(data, Path):
                data.seek(0)
            frame = pl.read_csv(data, schema_overrides=overrides, infer_schema_length=10_000)
            return frame.rename({c: c.strip() for c in frame.columns if c != c.strip()})
    except (pl.exceptions.PolarsError, OSError, pa.ArrowException) as exc:
        raise InputError(f"{source}文件 {name} 无法读取（{_message(exc, path, name)}）") from exc
    raise InputError(f"{source}文件 {name} 格式不支持（应为 .parquet 或 .csv）")


def read_readings(path: str | Path, name: str | None = None) -> pl.DataFrame:
    """Readings: account_id, ts (local time or with an offset, interval start), kw — or kwh per interval.
    `name` is what messages call the file (the uploader's name, never the server's path)."""
    frame = _read(path, "读数", ("account_id", "ts", "date"), name)
    if "ts" not in frame.columns and "date" in frame.columns:  # daily energy: account_id, date, kwh
        frame = frame.rename({"date": "ts"})
    if "kw" not in frame.columns and "kwh" in frame.columns:
        require_columns(frame, ("account_id", "ts", "kwh"), f"读数文件 {name or Path(path).name}")
    else:
        require_columns(frame, READING_COLUMNS, f"读数文件 {name or Path(path).name}")
    return frame


def read_table(path: str | Path, required: tuple[str, ...], source: str) -> pl.DataFrame:
    """A small table (CSV or Parquet) with the given text columns, e.g. the account → area mapping."""
    frame = _read(path, source, required)
    require_columns(frame, required, f"{source}文件 {Path(path).name}")
    return frame


def read_readings_like(path: str | Path, ids: tuple[str, ...], source: str) -> pl.DataFrame:
    """Readings keyed by another id (e.g. area_id, ts, kw)."""
    frame = _read(path, source, (*ids, "ts"))
    require_columns(frame, (*ids, "ts", "kw"), f"{source}文件 {Path(path).name}")
    return frame


def read_daily(path: str | Path) -> pl.DataFrame:
    """Daily energy: account_id, date, kwh."""
    frame = _read(path, "日电量", ("account_id", "date"))
    require_columns(frame, DAILY_COLUMNS, f"日电量文件 {Path(path).name}")
    return frame


def read_accounts(path: str | Path) -> pl.DataFrame:
    """Accounts: account_id, contracted_kva, industry, registered_furnace_kw, site_status."""
    frame = _read(path, "户档案", ("account_id", "industry", "site_status"))
    require_columns(frame, ("account_id",), f"户档案文件 {Path(path).name}")
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
        name = Path(path).name
        raise InputError(f"读数文件 {name} 无法读取（{_message(exc, Path(path), name)}）") from exc


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
    if "kw" not in names and "kwh" in names:
        raise NotGrouped  # energy per interval: the general path converts it once the interval is known
    missing = [c for c in READING_COLUMNS if c not in names]
    if missing:
        raise InputError(
            f"读数文件 {Path(path).name} 缺少必需列：{', '.join(missing)}（现有列：{', '.join(names)}）"
        )
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
        if not _quarter_hourly(chunk):
            raise NotGrouped  # another interval: detected and aggregated per account on the general path
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


def _quarter_hourly(chunk: Chunk) -> bool:
    """May this batch take the fast path? Every account's most common step is 15 minutes (at least half
    of its steps, so gaps, duplicates and disorder do not matter) and its kw falls at least once in a long
    run (a register that only rises is refused by `clean.refuse_counters`). Anything else goes through
    `clean.regularise` on the general path."""
    if chunk.rows < 2:
        return False
    starts = np.flatnonzero(np.diff(chunk.codes, prepend=-1))
    step = np.diff(chunk.ts_us, append=chunk.ts_us[-1])  # the last step of each account is not one
    quarter = step == SLOT_US
    change = np.sign(np.diff(chunk.kw, append=np.float32(0)))
    ends = np.append(starts[1:], chunk.rows) - 1
    quarter[ends] = False
    change[ends] = 0
    steps = np.diff(np.append(starts, chunk.rows)) - 1
    hits = np.add.reduceat(quarter, starts)
    fell = np.add.reduceat(change < 0, starts)
    rose = np.add.reduceat(change > 0, starts)
    counter = (fell == 0) & (rose * 2 >= steps) & (steps >= clean.COUNTER_MIN_READINGS - 1)
    return bool(((hits * 2 >= steps) & (steps > 0) & ~counter).all())


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
                require_columns(frame, READING_COLUMNS, f"读数文件 {Path(path).name}")
                frame = frame.with_columns(_bucket=pl.col("account_id").cast(pl.String).hash() % buckets)
                for (key,), part in frame.partition_by("_bucket", as_dict=True, maintain_order=True).items():
                    table = part.drop("_bucket").to_arrow()
                    if key not in writers:
                        writers[key] = pq.ParquetWriter(Path(folder) / f"{key}.parquet", table.schema)
                    writers[key].write_table(table)
        except (OSError, pa.ArrowException) as exc:
            raise InputError(
                f"读数文件 {Path(path).name} 无法读取（{_message(exc, Path(path), Path(path).name)}）"
            ) from exc
        finally:
            for writer in writers.values():
                writer.close()
        for key in sorted(writers):
            yield pl.read_parquet(Path(folder) / f"{key}.parquet")
