"""What one served student costs: memory and CPU of a game process, and the keystroke echo.

    PYTHONPATH=. .venv/bin/python bench/classroom.py [STUDENTS ...]   (default: 1 5 10)

For each class size N: the real `gradquest serve` on a free loopback port; N students log in and
open their game at once (textual-serve starts one process each); each opens the bundled first
level's map entry and types digits into the answer box, one at a time, each waiting for the screen's
answer. Reported per N: the game processes' resident memory (mean per student, from
/proc/<pid>/status VmRSS), the CPU each used from start to the end of the typing (utime + stime),
the time from the login to the map, and the keystroke echo (key sent to the next screen update
received) median and p99 over every key of every student.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
KEYS_PER_STUDENT = 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout.split()
    found = [int(p) for p in out]
    return found + [g for c in found for g in children(c)]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def student(url: str, n: int, echoes: list[float], starts: list[float], ready: asyncio.Event, done):
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        await client.post(url + "/login", data={"name": f"Student {n}", "code": "bench"})
        began = time.perf_counter()
        async with client.ws_connect(url + "/ws?width=100&height=30") as ws:
            await ws.send_json(["resize", {"width": 100, "height": 30}])
            seen = ""
            while "Chapter map" not in seen:
                message = await ws.receive()
                seen += message.data.decode("utf-8", "replace") if message.type == aiohttp.WSMsgType.BINARY else ""
            starts.append(time.perf_counter() - began)
            await ws.send_json(["stdin", "\r"])
            await asyncio.sleep(8)  # the level opens
            while True:  # drain
                try:
                    await ws.receive(timeout=0.5)
                except asyncio.TimeoutError:
                    break
            await ready.wait()
            for i in range(KEYS_PER_STUDENT):
                sent = time.perf_counter()
                await ws.send_json(["stdin", "1" if i % 2 == 0 else "\x7f"])  # a digit, then backspace
                while (await ws.receive()).type != aiohttp.WSMsgType.BINARY:
                    pass
                echoes.append(time.perf_counter() - sent)
                await asyncio.sleep(0.05)
            await done.wait()


async def run(students: int) -> dict:
    folder = Path(tempfile.mkdtemp())
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gradquest", "serve", "--class", str(folder / "class"),
                               "--port", str(port), "--code", "bench", "--max-students", str(students)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)))
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            await asyncio.sleep(0.1)
    echoes, starts = [], []
    ready, done = asyncio.Event(), asyncio.Event()
    tasks = [asyncio.create_task(student(url, n, echoes, starts, ready, done)) for n in range(students)]
    while len(starts) < students:
        await asyncio.sleep(0.2)
    await asyncio.sleep(4)
    ready.set()
    while len(echoes) < students * KEYS_PER_STUDENT:
        await asyncio.sleep(0.2)
    games = [p for p in children(server.pid) if "gradquest" in Path(f"/proc/{p}/cmdline").read_text()]
    memory = [rss_kb(p) / 1024 for p in games]
    cpu = [cpu_seconds(p) for p in games]
    done.set()
    await asyncio.gather(*tasks)
    server.terminate()
    server.wait()
    echoes.sort()
    return {"students": students, "processes": len(games), "rss_mb_mean": statistics.mean(memory),
            "cpu_s_mean": statistics.mean(cpu), "to_map_s_median": statistics.median(starts),
            "echo_ms_median": 1000 * statistics.median(echoes), "echo_ms_p99": 1000 * echoes[int(0.99 * (len(echoes) - 1))]}


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1, 5, 10]
    print("students  processes  RSS/student MB  CPU/student s  to map s (median)  echo ms median  echo ms p99")
    for n in sizes:
        r = asyncio.run(run(n))
        print(f"{r['students']:>8}  {r['processes']:>9}  {r['rss_mb_mean']:>14.1f}  {r['cpu_s_mean']:>13.2f}  "
              f"{r['to_map_s_median']:>17.2f}  {r['echo_ms_median']:>14.1f}  {r['echo_ms_p99']:>11.1f}", flush=True)


if __name__ == "__main__":
    main()
