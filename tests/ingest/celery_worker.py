"""A real Celery worker for the worker tests: prefork, its own queue, the test database.

Run as `python -m tests.ingest.celery_worker QUEUE NODE`; the environment carries DATABASE_URL,
REDIS_URL and any CELERY_*/INGEST_* settings. The queue is set here because settings read no
queue name, and a queue of its own keeps stray workers from taking the test's tasks.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


class WorkerProcess:
    """One worker (a main process and its pool), started in its own process group."""

    def __init__(self, *, queue: str, env: dict[str, str], log_path: Path, concurrency: int = 2):
        self.queue, self.env, self.log_path, self.concurrency = queue, env, log_path, concurrency
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> "WorkerProcess":
        self.starts += 1
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.ingest.celery_worker",
                self.queue,
                f"w{self.starts}",
                str(self.concurrency),
            ],
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self) -> None:
        """SIGKILL the whole worker at once, as a crash or the OOM killer would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def kill_pool_processes(self) -> list[int]:
        """SIGKILL the pool's child processes only; the main process stays to notice and requeue."""
        children_file = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        children = [int(pid) for pid in children_file.read_text().split()]
        for pid in children:
            os.kill(pid, signal.SIGKILL)
        return children

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:] if self.log_path.exists() else ""


def wait_until(condition, *, timeout: float, interval: float = 0.1, message: str = "condition"):
    """Poll `condition` until it returns something truthy; fail with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


def main(queue: str, node: str, concurrency: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config.celery import app

    app.conf.task_default_queue = queue
    # Look for messages abandoned by a killed worker every second instead of every 100 seconds.
    app.conf.broker_transport_options = {
        **app.conf.broker_transport_options,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    app.worker_main(
        [
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            f"--queues={queue}",
            f"--hostname={node}-{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ]
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
