"""Benchmarks: ``python -m trialmatch.bench NAME [--write BENCHMARKS.md]`` (``make bench`` runs all).

Each benchmark returns a dict of figures; ``--write`` puts them, with the command, the machine
and the date, into their own section of BENCHMARKS.md (replacing that section's previous run).
Benchmarks measure; tests never assert wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent


def percentiles(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))], 3),
    }


def time_calls(fn: Callable[[], object], repeats: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except (OSError, AttributeError):
        mem = "?"
    return f"{cpu}, {os.cpu_count()} cores, {mem} RAM, Python {platform.python_version()}, {platform.system()}"


def bench_slice(repeats: int = 200) -> dict:
    """The first vertical slice in-process: one bundle, the criteria/ catalogue."""
    from trialmatch import services
    from trialmatch.catalogue import build_catalogue
    from trialmatch.trial_document import load_document
    from trialmatch.vocab import load_vocabulary
    from trialmatch.runner import EXAMPLE_BUNDLE
    from datetime import date

    vocab = load_vocabulary()
    trials = [load_document(d, w) for w, d in services.read_documents(ROOT / "criteria")]
    catalogue = build_catalogue(trials, version="bench", vocab=vocab)
    bundle = json.loads((ROOT / EXAMPLE_BUNDLE).read_text())
    as_of = date(2026, 11, 26)
    samples = time_calls(lambda: services.match_bundle(bundle=bundle, as_of=as_of, catalogue=catalogue, vocab=vocab),
                         repeats)
    return {"bundle": EXAMPLE_BUNDLE, "trials": len(trials), **percentiles(samples)}


def bench_http(uncached: int = 100, cached: int = 300) -> dict:
    """The slice over HTTP: `trialmatch run` (embedded Redis unless TRIALMATCH_REDIS_URL, one
    Celery worker, gunicorn with 2 workers, a temporary SQLite store with criteria/), one client."""
    import signal
    import subprocess
    import tempfile

    import requests

    from trialmatch.embedded_redis import free_port
    from trialmatch.runner import EXAMPLE_BUNDLE, http_answers

    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TRIALMATCH_DATABASE_URL=f"sqlite:///{tmp}/bench.db",
                   TRIALMATCH_CATALOGUE_DIR=str(ROOT / "criteria"), TRIALMATCH_QUEUE=f"bench-{port}",
                   TRIALMATCH_LOCAL_KEY_FILE=f"{tmp}/key")
        proc = subprocess.Popen([sys.executable, "-m", "trialmatch.cli", "run", "--port", str(port)], env=env,
                                cwd=ROOT, stdout=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.monotonic() + 90
            while not http_answers("127.0.0.1", port):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("trialmatch run did not come up")
                time.sleep(0.2)
            body = (ROOT / EXAMPLE_BUNDLE).read_bytes()
            url = f"http://127.0.0.1:{port}/api/v1/match?as_of=2026-11-26"
            session = requests.Session()
            key = Path(f"{tmp}/key").read_text().strip()
            headers = {"Content-Type": "application/fhir+json", "Authorization": f"Bearer {key}"}

            def post(extra: dict) -> None:
                response = session.post(url, data=body, headers={**headers, **extra}, timeout=30)
                if response.status_code != 200:
                    raise RuntimeError(f"match answered {response.status_code}")

            fresh = time_calls(lambda: post({"Cache-Control": "no-cache"}), uncached)
            hits = time_calls(lambda: post({}), cached)
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(60)
    return {"bundle": EXAMPLE_BUNDLE, "uncached": percentiles(fresh), "cached": percentiles(hits)}


BENCHMARKS: dict[str, tuple[str, Callable[[], dict]]] = {
    "slice": ("first slice: validate + extract + match one bundle against criteria/, in-process", bench_slice),
    "http": ("first slice over HTTP: POST /api/v1/match through a Celery worker, one client", bench_http),
}


def write_section(path: Path, name: str, title: str, command: str, figures: dict) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\nWritten by `python -m trialmatch.bench`; each section is replaced by the next run of its benchmark.\n"
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = [f"<!-- bench:{name} -->", f"## {name}: {title}", "",
            f"- command: `{command}`", f"- machine: {machine()}", f"- date: {stamp}", "",
            "| figure | value |", "|---|---|"]
    body += [f"| {k} | {v} |" for k, v in figures.items()]
    body.append(f"<!-- /bench:{name} -->")
    section = "\n".join(body)
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.S)
    text = pattern.sub(lambda _m: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trialmatch.bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+", help=f"benchmarks to run: all, {', '.join(BENCHMARKS)}")
    parser.add_argument("--write", type=Path, help="update this BENCHMARKS.md")
    args = parser.parse_args(argv)
    names = list(BENCHMARKS) if "all" in args.names else args.names
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; known: {list(BENCHMARKS)}")
    for name in names:
        title, fn = BENCHMARKS[name]
        figures = fn()
        print(json.dumps({name: figures}))
        if args.write:
            write_section(args.write, name, title, f"python -m trialmatch.bench {name}", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
