"""`gradquest serve`: a class logs in and plays in the browser; the server's rules.

The smoke test runs the real server on a free loopback port and talks to it as textual.js does
(a login form, then the websocket's ["stdin", keys] envelopes); the game it starts is the real one."""

import asyncio
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from gradquest.classroom.serve import ClassServer, ServeRefused, login_page, play_page
from gradquest.store.class_store import ClassStore
from gradquest.terminal import line_mode

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-B]|\x1b[=>]")
LEVEL = """
format_version: 1
id: class.smoke
title: {en: Two paths smoke, zh: 两条路径}
chapter: 1
order: 1
model:
  params: {w: 3, b: 4}
  nodes: {x: 2*w + 3*b, y: 2*b + 1, z: x*y}
  output: z
steps:
  - forward: x
  - gradient: b
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """The server in its own process, on a free loopback port."""

    def __init__(self, tmp_path: Path, *args: str):
        levels = tmp_path / "levels"
        levels.mkdir()
        (levels / "smoke.yaml").write_text(LEVEL, encoding="utf-8")
        self.folder, self.port = tmp_path / "class", free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.process = subprocess.Popen([sys.executable, "-m", "gradquest", "serve", "--class", str(self.folder),
                                         "--port", str(self.port), "--levels", str(levels), *args],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)

    async def ready(self) -> None:
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                await asyncio.sleep(0.1)
        raise AssertionError("the server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


async def screen_until(ws, seen: list[str], text: str) -> str:
    """Read the game's output until `text` is on it (bounded by the test's timeout, not a clock)."""
    while text not in ANSI.sub("", "".join(seen)):
        message = await ws.receive()
        assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
        if message.type == aiohttp.WSMsgType.BINARY:
            seen.append(message.data.decode("utf-8", "replace"))
    return ANSI.sub("", "".join(seen))


@pytest.mark.timeout(180)
async def test_a_student_logs_in_reads_the_map_and_answers_an_ask_recorded_with_its_slip(tmp_path, class_db):
    served = Served(tmp_path, "--code", "owl-42", *(["--db", class_db] if class_db else []))  # SQLite, PostgreSQL
    await served.ready()
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
            async with client.post(served.url + "/login", data={"name": "Ada", "code": "owl-41"}) as r:
                assert r.status == 403  # not the class's code
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                async with client.ws_connect(served.url + "/ws"):
                    pass
            assert refused.value.status == 403  # no game without a login
            async with client.post(served.url + "/login", data={"name": "Ada", "code": "owl-42"}) as r:
                assert r.status == 200 and str(r.url).endswith("/play")
                page = await r.text()
            assert "http" not in page.replace(served.url, "")  # nothing from elsewhere
            async with client.ws_connect(served.url + "/ws?width=100&height=30") as ws:
                seen: list[str] = []
                await ws.send_json(["resize", {"width": 100, "height": 30}])
                await ws.send_json(["focus", None])
                await screen_until(ws, seen, "Two paths smoke")  # the chapter map
                await ws.send_json(["stdin", "\r"])
                await screen_until(ws, seen, "x = ?")  # the level's first ask
                await ws.send_json(["stdin", "17"])
                await ws.send_json(["stdin", "\r"])
                store = ClassStore(served.folder, class_db)
                while not store.submissions():
                    await ws.receive(timeout=5)
        [row] = store.submissions()
        [ada] = store.students()
        assert (ada.name, row.student, row.level, row.ask, row.typed, row.verdict) == (
            "Ada", ada.id, "class.smoke", "steps[0]", "17", "wrong")
        assert row.slip  # the game's named mistake
        async with aiohttp.ClientSession() as client:
            statuses = []
            for _ in range(9):  # two tries above, then the tenth and the eleventh in a minute
                async with client.post(served.url + "/login", data={"name": "Eve", "code": "guess"}) as r:
                    statuses.append(r.status)
            assert statuses == [403] * 8 + [429]
            async with client.get(served.url + "/static/") as r:
                assert r.status == 404  # no listing of the server's files
    finally:
        served.stop()


def test_served_by_the_web_driver_the_game_is_full_screen_though_its_input_is_a_pipe(monkeypatch):
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert line_mode(False) == (False, None)
    assert line_mode(True) == (True, None)


def test_a_public_address_needs_a_class_code(tmp_path):
    with pytest.raises(ServeRefused):
        ClassServer(tmp_path, host="0.0.0.0")
    ClassServer(tmp_path, host="127.0.0.1")  # this machine only: no code needed
    assert ClassServer(tmp_path, host="0.0.0.0", code="owl").store.has_code()


def test_the_pages_load_nothing_from_elsewhere_and_escape_what_they_show():
    for page in (login_page("code"), play_page("ws://127.0.0.1:8000/ws")):
        assert "https://" not in page and "http://" not in page
    assert "&lt;" in play_page('ws://x/ws"<script>')


ARTIFACTS = Path(os.environ.get("GRADQUEST_ARTIFACTS", ROOT / "test-artifacts"))


class Chromium:
    """Debian's headless Chromium, driven over the DevTools protocol (aiohttp is all it needs)."""

    def __init__(self, profile: Path):
        self.process = subprocess.Popen(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                                         "--remote-debugging-port=0", f"--user-data-dir={profile}",
                                         "--window-size=1100,760", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for line in self.process.stderr:
            if "DevTools listening on" in line:
                self.endpoint = line.split("ws://", 1)[1].split("/", 1)[0]
                break
        self.n = 0

    async def connect(self, client: aiohttp.ClientSession):
        async with client.get(f"http://{self.endpoint}/json/list") as r:
            page = next(t for t in await r.json() if t["type"] == "page")
        self.ws = await client.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)

    async def call(self, method: str, **params):
        self.n += 1
        await self.ws.send_json({"id": self.n, "method": method, "params": params})
        while True:
            reply = await self.ws.receive_json()
            if reply.get("id") == self.n:
                assert "error" not in reply, reply
                return reply["result"]

    async def js(self, expression: str):
        return (await self.call("Runtime.evaluate", expression=expression, returnByValue=True))["result"].get("value")

    async def key(self, key: str, text: str = "", modifiers: int = 0) -> None:
        """A key as the keyboard gives it (modifiers: 2 is Ctrl)."""
        code = {"Enter": 13}.get(key, ord(key.upper()) if len(key) == 1 else 0)
        for kind in ("rawKeyDown" if modifiers else "keyDown", "keyUp"):
            await self.call("Input.dispatchKeyEvent", type=kind, key=key, text=text if kind == "keyDown" else "",
                            windowsVirtualKeyCode=code, modifiers=modifiers)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)


@pytest.mark.timeout(300)
async def test_in_chromium_a_student_logs_in_and_plays_an_ask_and_the_page_shows_the_game(tmp_path):
    """Debian's chromium package (`.ci/run` installs it): missing, this test fails, never skips."""
    served = Served(tmp_path, "--code", "owl-42")
    browser = Chromium(tmp_path / "profile")
    try:
        await served.ready()
        async with aiohttp.ClientSession() as client:
            await browser.connect(client)
            await browser.call("Page.enable")
            await browser.call("Page.navigate", url=served.url + "/")
            while await browser.js("document.readyState + !!document.getElementById('name')") != "completetrue":
                await asyncio.sleep(0.2)
            await browser.js("document.getElementById('name').value = 'Ada';"
                             "document.getElementById('code').value = 'owl-42'; document.forms[0].submit()")
            while await browser.js("location.pathname + !!document.querySelector('.xterm-screen')") != "/playtrue":
                await asyncio.sleep(0.2)  # the terminal is on the page
            await browser.js("document.querySelector('.xterm-helper-textarea').focus()")
            store = ClassStore(served.folder)
            while not any(r.verdict == "wrong" for r in store.submissions()):
                for key, text in (("Enter", "\r"), ("1", "1"), ("7", "7"), ("Enter", "\r")):
                    await browser.key(key, text)  # on the map: open the next level, and "17" typed ahead into it
                for _ in range(10):
                    await asyncio.sleep(0.3)
                    if store.submissions():
                        break
            while not any(r.revealed for r in store.submissions()):  # Ctrl+S, the served key for F3: the answer
                await browser.key("s", modifiers=2)
                await asyncio.sleep(1)
            shot = await browser.call("Page.captureScreenshot", format="png")
        import base64

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        picture = base64.b64decode(shot["data"])
        (ARTIFACTS / "classroom-chromium.png").write_bytes(picture)
        assert picture[:8] == b"\x89PNG\r\n\x1a\n"
        row = next(r for r in store.submissions() if r.verdict == "wrong")
        assert (row.level, row.ask, row.typed) == ("class.smoke", "steps[0]", "17") and row.slip
    finally:
        browser.stop()
        served.stop()


async def test_a_full_class_refuses_a_new_game_and_a_name_with_control_characters_is_refused(tmp_path):
    from aiohttp.test_utils import TestClient, TestServer

    server = ClassServer(tmp_path, max_students=1)
    client = TestClient(TestServer(await server._make_app()), cookie_jar=aiohttp.CookieJar(unsafe=True))
    await client.start_server()
    try:
        r = await client.post("/login", data={"name": "\x1b[2JEve"})
        assert r.status == 400 and ClassStore(tmp_path).students() == []
        r = await client.post("/login", data={"name": "Ada"})
        assert r.status == 200 and r.url.path == "/play"
        server.live.add(object())  # one game already running: the class is full
        r = await client.get("/ws")
        assert r.status == 503
        assert (await client.get("/download/x")).status == 404  # textual-serve's download route is not there
    finally:
        await client.close()


async def test_a_login_survives_a_server_restart_until_it_expires(tmp_path):
    from aiohttp.test_utils import TestClient, TestServer

    async def play_page_status(server: ClassServer, token: str | None = None) -> tuple[int, str | None]:
        client = TestClient(TestServer(await server._make_app()), cookie_jar=aiohttp.CookieJar(unsafe=True))
        await client.start_server()
        try:
            if token is None:
                r = await client.post("/login", data={"name": "Ada"})
                token = r.history[0].cookies["gradquest_session"].value
                assert r.url.path == "/play"
            r = await client.get("/play", cookies={"gradquest_session": token}, allow_redirects=False)
            return r.status, token
        finally:
            await client.close()

    status, token = await play_page_status(ClassServer(tmp_path))
    assert status == 200
    restarted = ClassServer(tmp_path)
    assert await play_page_status(restarted, token) == (200, token)  # still logged in
    later = restarted.store.clock() + 8 * 86400
    restarted.store.clock = lambda: later
    assert (await play_page_status(restarted, token))[0] == 303  # expired: back to the login


async def test_while_the_class_record_is_away_a_page_says_so_in_one_line(tmp_path):
    """A database out for a while (a restart, the network) is a 503 with one sentence, never a 500 with a traceback."""
    from aiohttp.test_utils import TestClient, TestServer

    from gradquest.store.class_db import StoreError

    server = ClassServer(tmp_path)
    client = TestClient(TestServer(await server._make_app()), cookie_jar=aiohttp.CookieJar(unsafe=True))
    await client.start_server()
    try:
        def away(*_):
            raise StoreError("lost the class store postgresql://teacher:***@db/class: server closed the connection")

        server.store.login = server.store.student = away
        r = await client.get("/play", cookies={"gradquest_session": "t"}, allow_redirects=False)
        assert r.status == 503 and "cannot be reached" in await r.text()
        r = await client.post("/login", data={"name": "Ada"})
        assert r.status == 503 and "Traceback" not in await r.text()
    finally:
        await client.close()
