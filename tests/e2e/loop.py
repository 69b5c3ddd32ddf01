"""An asyncio loop in a thread of its own, alive for the whole e2e run.

The processes, the aiohttp session and the browser outlive single tests, so they cannot live on
the Home Assistant plugin's per-test loop. Tests are plain functions that hand coroutines to
this loop. Its one executor thread starts with the loop: the plugin fails a test that leaves a
new thread behind, and a lazily started executor thread would look like one.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any


class LoopThread:
    """Runs coroutines on a private event loop until stop()."""

    def __init__(self) -> None:
        self._loop = asyncio.SelectorEventLoop()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="e2e-executor")
        self._loop.set_default_executor(self._executor)
        self._thread = threading.Thread(target=self._serve, name="e2e-loop", daemon=True)
        self._thread.start()
        self.run(self._start_worker(), 10)

    async def _start_worker(self) -> None:
        await asyncio.get_running_loop().run_in_executor(None, lambda: None)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def run[T](self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        """Run coro on the loop, waiting up to timeout seconds (then it is cancelled)."""

        async def wrapped() -> T:
            async with asyncio.timeout(timeout):
                return await coro

        return asyncio.run_coroutine_threadsafe(wrapped(), self._loop).result()

    def stop(self) -> None:
        """Stop the loop, join its thread, close everything."""
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.run_until_complete(self._loop.shutdown_asyncgens())
        self._loop.close()
        self._executor.shutdown(wait=True)
