"""Local engine: chunks of accounts scored on a thread pool, one thread per core, fed by a reader thread.

numpy, polars and pyarrow release the GIL inside their kernels, and each chunk is a matrix of a few
megabytes, so threads scale without copying data between processes. The chunk source (e.g. a Parquet file
being decoded) runs on its own thread a bounded number of chunks ahead, so reading overlaps compute; at
most two chunks per worker are in flight, which bounds memory.
"""

from __future__ import annotations

import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

import polars as pl

from analytics import pipeline

Progress = Callable[[int, int], None] | None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def read_ahead(items: Iterable, depth: int) -> Iterator:
    """Iterate `items` on a background thread, at most `depth` items ahead of the consumer. Its
    exceptions are raised in the consumer; leaving the loop early stops the thread."""
    slots: queue.Queue = queue.Queue(depth)
    stop = threading.Event()
    end = object()

    def offer(item) -> bool:
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer((item, None)):
                    return
            offer((end, None))
        except BaseException as exc:  # handed to the consumer
            offer((end, exc))

    thread = threading.Thread(target=produce, name="steelwatch-reader", daemon=True)
    thread.start()
    try:
        while True:
            item, error = slots.get()
            if item is end:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        thread.join()


def score_chunks(chunks: Iterable[pipeline.Chunk], accounts: pl.DataFrame | None, *, total_rows: int = 0,
                 progress: Progress = None, workers: int | None = None) -> pl.DataFrame:  # fmt: skip
    workers = workers or cores()
    results, done = [], 0
    with ThreadPoolExecutor(workers, thread_name_prefix="steelwatch-score") as pool:
        pending = deque()
        for chunk in read_ahead(chunks, 2 * workers):
            pending.append((chunk.rows, pool.submit(pipeline.score_chunk, chunk, accounts)))
            while len(pending) > 2 * workers or (pending and pending[0][1].done()):
                rows, future = pending.popleft()
                results.append(future.result())
                done += rows
                if progress:
                    progress(done, total_rows)
        for rows, future in pending:
            results.append(future.result())
            done += rows
            if progress:
                progress(done, total_rows)
    return pl.concat(results) if results else pipeline.empty_scores()


def score_frame(frame: pl.DataFrame, accounts: pl.DataFrame | None, *, daily: bool = False,
                progress: Progress = None, spark_master: str | None = None) -> pl.DataFrame:  # fmt: skip
    chunks = pipeline.chunks_from_frame(frame, daily)
    return score_chunks(chunks, accounts, total_rows=frame.height, progress=progress)
