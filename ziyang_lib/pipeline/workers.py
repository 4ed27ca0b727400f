"""The build's workers: `n` threads take pages from one queue, each keeping one kernel.

Each thread owns a :class:`~ziyang_lib.pipeline.warm_kernel.WarmKernel` for as long as pages are
left, so a build of `p` pages starts about `n` kernels instead of `p` (more only after a failure).
Items are taken in the order given (the build sorts them longest first). Ctrl-C or SIGTERM in the
waiting thread stops every kernel at once; the workers then take no further item.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from ziyang_lib.pipeline import kernels
from ziyang_lib.pipeline.warm_kernel import WarmKernel

T = TypeVar("T")


def run_on_workers(items: Iterable[T], n: int, work: Callable[[T, WarmKernel], None]) -> None:
    """Call ``work(item, kernel)`` for every item on `n` threads; return when all are done.

    `work` must handle its own errors (an exception it raises ends its worker and is re-raised
    here once the others are done).
    """
    queue = deque(items)
    lock = threading.Lock()

    def worker() -> None:
        kernel = WarmKernel()
        try:
            while not kernels.stopping():
                with lock:
                    if not queue:
                        return
                    item = queue.popleft()
                work(item, kernel)
        finally:
            kernel.close()

    with ThreadPoolExecutor(max_workers=max(1, n), thread_name_prefix="ziyang-page") as pool:
        futures = [pool.submit(worker) for _ in range(min(max(1, n), len(queue)))]
        try:
            for future in futures:
                future.result()
        except BaseException:  # Ctrl-C, SIGTERM: stop every kernel, so the workers end now
            kernels.stop_all_kernels()
            raise
