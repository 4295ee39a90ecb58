"""Wall-clock time per processing stage, kept on each job so throughput can be read per stage."""

import time
from collections.abc import Iterator
from contextlib import contextmanager


class StageTimer:
    """Adds up the seconds spent in named stages; `as_dict` gives them rounded, with their total."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - started

    def as_dict(self) -> dict[str, float]:
        """Seconds per stage, six decimals, plus "total" for all of them."""
        rounded = {stage: round(value, 6) for stage, value in self.seconds.items()}
        return {**rounded, "total": round(sum(self.seconds.values()), 6)}
