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


class RunningService:
    """`trialmatch run` on a free port with a temporary SQLite store and the given catalogue
    folder; embedded Redis unless TRIALMATCH_REDIS_URL is set. Stopped with Ctrl-C (SIGINT)."""

    def __init__(self, catalogue_dir: Path, tmp: str):
        import subprocess

        from trialmatch.embedded_redis import free_port

        self.port = free_port()
        env = dict(os.environ, TRIALMATCH_DATABASE_URL=f"sqlite:///{tmp}/bench.db",
                   TRIALMATCH_CATALOGUE_DIR=str(catalogue_dir), TRIALMATCH_QUEUE=f"bench-{self.port}",
                   TRIALMATCH_LOCAL_KEY_FILE=f"{tmp}/key")
        self.proc = subprocess.Popen([sys.executable, "-m", "trialmatch.cli", "run", "--port", str(self.port)],
                                     env=env, cwd=ROOT, stdout=subprocess.DEVNULL, start_new_session=True)
        self.key_file = Path(tmp) / "key"

    def __enter__(self):
        import requests

        deadline = time.monotonic() + 300
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/readyz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("trialmatch run did not come up")
            time.sleep(0.3)
        self.key = self.key_file.read_text().strip()
        return self

    def __exit__(self, *exc):
        import signal

        os.killpg(self.proc.pid, signal.SIGINT)
        self.proc.wait(120)

    def poster(self, body: bytes, query: str):
        """A client of its own: one keep-alive connection (http.client, lighter on the shared
        CPU than requests), the whole response read."""
        import http.client

        path = f"/api/v1/match?as_of=2026-11-26{query}"
        headers = {"Content-Type": "application/fhir+json", "Authorization": f"Bearer {self.key}"}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

        def post(extra: dict) -> None:
            for attempt in (1, 2):  # the server may have closed an idle keep-alive connection
                try:
                    connection.request("POST", path, body=body, headers={**headers, **extra})
                    response = connection.getresponse()
                    response.read()
                    break
                except (http.client.RemoteDisconnected, ConnectionError):
                    connection.close()
                    if attempt == 2:
                        raise
            if response.status != 200:
                raise RuntimeError(f"match answered {response.status}")
        return post


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and all its descendants now alive (/proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            children.setdefault(int(fields[1]), []).append(int(entry.name))
            times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += times.get(current, 0.0)
        todo.extend(children.get(current, []))
    return total


def concurrent_load(make_post, clients: int, requests_each: int, extra: dict, service_pid: int | None = None) -> dict:
    """``clients`` threads, each with its own connection, ``requests_each`` requests each. With
    ``service_pid``, also the CPU time per request summed over the service's processes and this
    client (on a shared machine a steadier figure than wall time: 2 cores / cpu_ms_per_request
    bounds the requests/s)."""
    import threading

    samples: list[float] = []
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)

    def client():
        post = make_post()
        post(extra)  # warm-up: the connection is open before the clock starts
        ready.wait()
        mine = time_calls(lambda: post(extra), requests_each, warmup=0)
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    ready.wait()
    start, cpu_before = time.perf_counter(), os.times()
    service_before = tree_cpu_seconds(service_pid) if service_pid else 0.0
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    figures = {"clients": clients, "requests": len(samples), "requests_per_s": round(len(samples) / wall, 1),
               **percentiles(samples)}
    if service_pid:
        cpu_after = os.times()
        client_cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
        service_cpu = tree_cpu_seconds(service_pid) - service_before
        figures["cpu_ms_per_request"] = round((client_cpu + service_cpu) / len(samples) * 1000, 2)
        figures["client_cpu_ms_per_request"] = round(client_cpu / len(samples) * 1000, 2)
    return figures


def bench_http(uncached: int = 100, cached: int = 300) -> dict:
    """The slice over HTTP against criteria/: one client, uncached and cached."""
    import tempfile

    from trialmatch.runner import EXAMPLE_BUNDLE

    with tempfile.TemporaryDirectory() as tmp, RunningService(ROOT / "criteria", tmp) as service:
        post = service.poster((ROOT / EXAMPLE_BUNDLE).read_bytes(), "")
        fresh = time_calls(lambda: post({"Cache-Control": "no-cache"}), uncached)
        hits = time_calls(lambda: post({}), cached)
    return {"bundle": EXAMPLE_BUNDLE, "uncached": percentiles(fresh), "cached": percentiles(hits)}


HTTP_BUNDLE = "tests/data/bundles/codex/clinical-trial-matching-app/TrialMatching_Patient02.json"


def bench_http_scale(n_trials: int = 1000, uncached: int = 60, cached: int = 300, clients: int = 8) -> dict:
    """Issue 7's figure: a 30-entry bundle against 1,000 synthetic trials, top 50 results, over
    HTTP (`trialmatch run`: gunicorn, 2 workers; one solo Celery worker per core), 1 client and
    8 concurrent clients. The load generator runs on the same 2 cores: each client is a thread
    with one keep-alive http.client connection (requests, used before 2026-11-27, cost about 3 ms
    of CPU per request), sending the same POST and reading the whole body; each opens its
    connection with one request before the clock starts. ``cpu_ms_per_request`` sums the CPU time
    of every process of the service (web, workers, Redis) and of the client per request."""
    import tempfile

    from trialmatch.matching.synth import synth_catalogue
    from trialmatch.trial_document import dump_document
    from trialmatch.vocab import load_vocabulary

    body = (ROOT / HTTP_BUNDLE).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        catalogue = Path(tmp) / "catalogue"
        catalogue.mkdir()
        for trial in synth_catalogue(load_vocabulary(), n_trials, seed=7):
            document = dump_document(trial)
            (catalogue / f"{trial.trial_id}.json").write_text(json.dumps(document))
        with RunningService(catalogue, tmp) as service:
            post = service.poster(body, "&limit=50")
            one_fresh = time_calls(lambda: post({"Cache-Control": "no-cache"}), uncached)
            one_hit = time_calls(lambda: post({}), cached)
            many_fresh = concurrent_load(lambda: service.poster(body, "&limit=50"), clients, uncached // 2,
                                         {"Cache-Control": "no-cache"}, service_pid=service.proc.pid)
            many_hit = concurrent_load(lambda: service.poster(body, "&limit=50"), clients, cached // 4, {},
                                       service_pid=service.proc.pid)
    return {"bundle": HTTP_BUNDLE, "trials": n_trials, "limit": 50,
            "one_client_uncached": percentiles(one_fresh), "one_client_cached": percentiles(one_hit),
            f"{clients}_clients_uncached": many_fresh, f"{clients}_clients_cached": many_hit}


def bench_facts() -> dict:
    from trialmatch.mcode.bench import bench_facts as run

    return run()


def bench_engine() -> dict:
    from trialmatch.matching.bench import bench_engine as run

    return run()


def bench_parse() -> dict:
    from trialmatch.nlp.bench import bench_parse as run

    return run()


def bench_matchminer() -> dict:
    from trialmatch.matchminer.bench import bench_synthetic as run

    return run()


def bench_rescreen() -> dict:
    from trialmatch.rescreen_bench import bench_rescreen as run

    return run()


BENCHMARKS: dict[str, tuple[str, Callable[[], dict]]] = {
    "facts": ("validate and extract mCODE bundles (200 and 30 entries)", bench_facts),
    "engine": ("one patient against 10,000 synthetic trials in-process", bench_engine),
    "parse": ("NLP parser: items/s on one core, the 1,000-trial file on 2 cores", bench_parse),
    "matchminer": ("MatchMiner synthetic-bench: 20 CTML trials x 1,824 patients", bench_matchminer),
    "slice": ("first slice: validate + extract + match one bundle against criteria/, in-process", bench_slice),
    "http": ("first slice over HTTP: POST /api/v1/match through a Celery worker, one client", bench_http),
    "http-scale": ("HTTP match, 30-entry bundle x 1,000 trials, top 50, 1 and 8 clients", bench_http_scale),
    "rescreen": ("rescreen 10,000 synthetic patients x 1,000 trials with 2 workers (long: minutes)", bench_rescreen),
}


def flatten(figures: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def write_section(path: Path, name: str, title: str, command: str, figures: dict) -> None:
    from trialmatch.matching.bench import calibration_ms

    text = path.read_text(encoding="utf-8") if path.exists() else (
        "# Benchmarks\n\nWritten by `python -m trialmatch.bench NAME --write BENCHMARKS.md` (`make bench` runs all);"
        " each section is replaced by the next run of its benchmark. Times are wall-clock milliseconds unless"
        " named cpu; the goals are in the issues and in the closing notes.\n")
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = [f"<!-- bench:{name} -->", f"## {name}: {title}", "",
            f"- command: `{command}`", f"- machine: {machine()}", f"- date: {stamp}",
            f"- load average when it ended: {os.getloadavg()[0]:.2f} (other jobs on this machine inflate wall times)",
            f"- machine speed: a fixed pure-Python loop took {calibration_ms():.1f} ms (times scale with it; compare"
            " sections by it)", "",
            "| figure | value |", "|---|---|"]
    body += [f"| {k} | {v} |" for k, v in flatten(figures).items()]
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
