"""How many students one machine holds: keystroke echo p99 under 100 ms, and what each student costs.

    PYTHONPATH=. python bench/classroom.py [--limit-ms 100] [--budget 170] [--most 64]

One real `gradquest serve` on a free loopback port. The class grows 1, 2, 4, 8, … students: the new
ones log in and open the first bundled level (textual-serve starts a game process each), and after
3 s for those starts to settle, every
student of the class types at once through its websocket, a digit every 0.2 s (a quick typist), each
key waiting for the screen update that shows it in the answer box (the box's text, not any frame: the
cursor's blink sends frames too). The echo is the time from the key sent to that update.

Printed per class size: the echo median and p99 over every key of every student; per student the
game process's memory (PSS, its share of pages shared with the others, and RSS), the CPU its start
took (login to the first level open) and the share of a core it used while typing; the server's
share of a core. Then the largest class whose p99 stayed under the limit. The ramp stops at the first
size over the limit, at --most students, or when the next size would not finish within --budget
seconds (the whole run stays under 3 minutes), and says which.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from gradquest.classroom.serve import COOKIE
from gradquest.store.class_store import ClassStore

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-B]|\x1b[=>]")
KEYS, PAUSE = 30, 0.2  # keys each student types per class size, seconds between them
SETTLE = 3  # seconds between the last new student's level opening and the typing
LONGEST = 12  # digits in the box before it is emptied (Ctrl+U)
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def games(server: int) -> list[int]:
    """The game processes textual-serve started (the server's children running gradquest)."""
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(server)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out if "gradquest" in _read(f"/proc/{p}/cmdline")]


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def memory_mb(pid: int, field: str) -> float:
    for line in _read(f"/proc/{pid}/smaps_rollup" if field == "Pss:" else f"/proc/{pid}/status").splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    stat = _read(f"/proc/{pid}/stat")
    fields = stat.rsplit(")", 1)[1].split() if stat else []
    return (int(fields[11]) + int(fields[12])) / TICK if fields else 0.0


class Student:
    """One browser tab: its websocket, and the game's output read as it comes."""

    def __init__(self, client: aiohttp.ClientSession, ws):
        self.client, self.ws, self.screen, self.changed = client, ws, "", asyncio.Event()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.screen = (self.screen + ANSI.sub("", message.data.decode("utf-8", "replace")))[-20000:]
                self.changed.set()

    async def until(self, text: str) -> None:
        while text not in self.screen:
            self.changed.clear()
            await self.changed.wait()

    async def type(self, echoes: list[float]) -> None:
        typed = ""
        for i in range(KEYS):
            if len(typed) == LONGEST:
                await self.ws.send_json(["stdin", "\x15"])  # Ctrl+U: the box emptied, not timed
                await asyncio.sleep(PAUSE)
                typed = ""
            typed += str((i + 1) % 10)
            self.screen = ""
            sent = time.perf_counter()
            await self.ws.send_json(["stdin", typed[-1]])
            await self.until(typed)
            echoes.append(time.perf_counter() - sent)
            await asyncio.sleep(PAUSE)

    async def close(self) -> None:
        self.reader.cancel()
        try:
            await self.ws.close()
        finally:
            await self.client.close()


async def join(url: str, store: ClassStore, n: int) -> Student:
    """A student's tab: its game opened, then the first level (the map's first entry). The login is made
    in the class store, as the login page does: the server lets one address log in 10 times a minute,
    and every simulated student comes from 127.0.0.1."""
    token = store.add_login(store.student(f"Student {n}").id)
    client = aiohttp.ClientSession(cookies={COOKIE: token})
    try:
        ws = await client.ws_connect(url + "/ws?width=100&height=30", max_msg_size=0)
    except BaseException:
        await client.close()
        raise
    await ws.send_json(["resize", {"width": 100, "height": 30}])
    student = Student(client, ws)
    await student.until("Chapter map")
    await ws.send_json(["stdin", "\r"])
    await student.until("answer, Enter")  # the level's answer box
    return student


async def ramp(limit_ms: float, budget: float, most: int) -> None:
    began = time.monotonic()
    folder, port = Path(tempfile.mkdtemp()), free_port()
    server = subprocess.Popen([sys.executable, "-m", "gradquest", "serve", "--class", str(folder / "class"),
                               "--port", str(port), "--code", "bench", "--max-students", str(most)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)))
    store = ClassStore(folder / "class")
    url, class_, best, start_each, why = f"http://127.0.0.1:{port}", [], 0, 1.0, f"reached --most {most}"
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start (other work slows the echo)")
    print("students  echo ms median  echo ms p99  PSS MB/student  RSS MB/student  start CPU s/student  "
          "typing % core/student  server % core")
    try:
        while not listening(port):
            await asyncio.sleep(0.1)
        size = 1
        while size <= most:
            new = size - len(class_)
            guess = new * start_each / (os.cpu_count() or 1) + KEYS * PAUSE * 2 + SETTLE + 5
            if time.monotonic() - began + guess > budget:
                why = f"{size} students would not finish within --budget {budget:.0f} s"
                break
            before = {p: cpu_seconds(p) for p in games(server.pid)}
            left = max(5.0, budget - (time.monotonic() - began))
            try:
                class_ += await asyncio.wait_for(asyncio.gather(*(join(url, store, len(class_) + i) for i in range(new))), left)
            except asyncio.TimeoutError:
                why = f"{size} students did not all reach their level within --budget {budget:.0f} s"
                break
            except aiohttp.ClientError as err:
                why = f"{size} students: the server refused one ({err})"
                break
            await asyncio.sleep(SETTLE)
            pids = games(server.pid)
            start_each = max(0.2, statistics.mean(cpu_seconds(p) for p in pids if p not in before))
            cpu = {p: cpu_seconds(p) for p in pids + [server.pid]}
            echoes: list[float] = []
            window = time.monotonic()
            try:
                await asyncio.wait_for(asyncio.gather(*(s.type(echoes) for s in class_)),
                                       max(5.0, budget - (time.monotonic() - began)))
            except asyncio.TimeoutError:
                why = f"{size} students did not finish typing within --budget {budget:.0f} s"
                break
            window = time.monotonic() - window
            typing = statistics.mean(cpu_seconds(p) - cpu[p] for p in pids) / window * 100
            served = (cpu_seconds(server.pid) - cpu[server.pid]) / window * 100
            echoes.sort()
            median, p99 = 1000 * statistics.median(echoes), 1000 * echoes[int(0.99 * (len(echoes) - 1))]
            print(f"{size:>8}  {median:>13.1f}  {p99:>11.1f}  {statistics.mean(memory_mb(p, 'Pss:') for p in pids):>14.0f}"
                  f"  {statistics.mean(memory_mb(p, 'VmRSS:') for p in pids):>14.0f}  {start_each:>19.2f}  "
                  f"{typing:>21.1f}  {served:>13.1f}", flush=True)
            if p99 >= limit_ms:
                why = f"{size} students went over {limit_ms:.0f} ms"
                break
            best, size = size, size * 2
    finally:
        await asyncio.gather(*(s.close() for s in class_), return_exceptions=True)
        server.terminate()
        server.wait()
    print(f"largest class with keystroke echo p99 under {limit_ms:.0f} ms: {best} students "
          f"(stopped: {why}; {time.monotonic() - began:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit-ms", type=float, default=100, help="the echo p99 a class must stay under")
    parser.add_argument("--budget", type=float, default=170, help="seconds the whole run may take (about)")
    parser.add_argument("--most", type=int, default=64, help="the largest class tried")
    args = parser.parse_args()
    asyncio.run(ramp(args.limit_ms, args.budget, args.most))


if __name__ == "__main__":
    main()
