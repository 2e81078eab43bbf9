"""`gradquest serve --class DIR`: the game for a class, in the browser, on textual-serve.

A student opens the address, gives their name and the class code, and gets the full-screen game in
the page; each tab runs its own game process (textual-serve's `AppService`) with that student's
identity: their own progress folder (`DIR/students/<id>/`, so progress, hints and stars are theirs
and survive a closed tab or a restart) and their id in the class store, where the game records every
answer (store/class_store.py). docs/classroom.md has the threat model; in short:

- binds 127.0.0.1 unless told; a public address is refused without a class code; the code is kept
  hashed (scrypt) in the class store; login attempts are limited per address; `--max-students` caps
  the game processes; a tab idle for `--idle` minutes is ended;
- a student's browser holds only a random session token (HttpOnly, SameSite=Strict; the class store
  keeps its SHA-256 and expiry, so a login outlives a server restart, for LOGIN_DAYS); the websocket
  checks it and its origin, and the token alone chooses the student, so a tab reaches only its own
  student's game; no route serves a file of the server's but the page's own script, style and font
  (textual-serve's download route and folder listing are left out);
- the pages load nothing from elsewhere (the font is served from textual-serve's package, a
  Content-Security-Policy says `'self'`), and every text a student typed is HTML-escaped.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import shlex
import sys
import time
from collections import defaultdict, deque
from html import escape
from pathlib import Path

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from gradquest.levels.untrusted import unsafe
from gradquest.store.class_db import StoreError
from gradquest.store.class_store import CLASS_ENV, DB_ENV, LOGIN_DAYS, MAX_NAME, STUDENT_ENV, ClassStore

COOKIE = "gradquest_session"
LOGINS_PER_MINUTE = 10
STORE_AWAY = "The class's record cannot be reached just now. Try again in a minute.\n"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
STATIC = Path(__import__("textual_serve").__file__).parent / "static"


class ServeRefused(Exception):
    """A setting the server will not start with (said to the teacher as one line)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class StudentApp(AppService):
    """One tab's game process, run as one student."""

    def __init__(self, command: str, environment: dict[str, str], **kwargs):
        super().__init__(command, **kwargs)
        self.extra = environment

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        return {**super()._build_environment(width, height), **self.extra}


class ClassServer(Server):
    def __init__(self, folder: Path, host: str = "127.0.0.1", port: int = 8000, levels: Path | None = None,
                 code: str | None = None, max_students: int = 40, idle_minutes: float = 30, db: str | None = None):
        self.store, self.db = ClassStore(folder, db), db
        if code:
            self.store.set_code(code)
        if not is_loopback(host) and not self.store.has_code():
            raise ServeRefused(f"refusing to serve on {host}, an address others can reach, without a class code: "
                               "give --code (students type it to log in)")
        super().__init__(f"exec {shlex.quote(sys.executable)} -m gradquest", host=host, port=port, title="GradQuest")
        self.folder, self.levels, self.max_students = Path(folder).resolve(), levels, max_students
        self.idle = idle_minutes * 60
        self.live: set[StudentApp] = set()
        self.attempts: dict[str, deque] = defaultdict(deque)

    # ---- routes
    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._headers])
        app.add_routes([
            web.get("/", self.handle_login_page), web.post("/login", self.handle_login),
            web.get("/play", self.handle_play), web.get("/ws", self.handle_websocket),
            web.get("/static/js/textual.js", self._file("js/textual.js")),
            web.get("/static/css/xterm.css", self._file("css/xterm.css")),
            web.get("/static/fonts/RobotoMono.ttf", self._file("fonts/RobotoMono-VariableFont_wght.ttf")),
        ])
        app.on_startup.append(self.on_startup)
        return app

    @web.middleware
    async def _headers(self, request: web.Request, handler):
        try:
            response = await handler(request)
        except StoreError:  # the class's database is away for a while: say so, and the page can be reloaded
            response = web.Response(text=STORE_AWAY, status=503)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    def _file(self, name: str):
        async def serve(request: web.Request) -> web.FileResponse:
            return web.FileResponse(STATIC / name)
        return serve

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(f"GradQuest for the class in {self.folder} on http://{self.host}:{self.port}/ "
                           "(Ctrl+C stops)", highlight=False, markup=False)

    async def handle_login_page(self, request: web.Request, problem: str = "") -> web.Response:
        return web.Response(text=login_page(problem, self.store.has_code()), content_type="text/html")

    async def handle_login(self, request: web.Request) -> web.Response:
        address = request.remote or "?"
        recent = self.attempts[address]
        now = time.monotonic()
        while recent and now - recent[0] > 60:
            recent.popleft()
        if len(recent) >= LOGINS_PER_MINUTE:
            return await self._refuse(request, "too_many", 429)
        recent.append(now)
        form = await request.post()
        name, code = " ".join(str(form.get("name", "")).split()), str(form.get("code", ""))
        if not name or len(name) > MAX_NAME or unsafe(name):
            return await self._refuse(request, "name", 400)
        if self.store.has_code() and not self.store.check_code(code):
            return await self._refuse(request, "code", 403)
        token = self.store.add_login(self.store.student(name).id)
        response = web.HTTPSeeOther("/play")
        response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", secure=request.secure,
                            max_age=int(LOGIN_DAYS * 86400))
        raise response

    async def _refuse(self, request, problem: str, status: int) -> web.Response:
        response = await self.handle_login_page(request, problem)
        response.set_status(status)
        return response

    def _student(self, request: web.Request) -> int | None:
        token = request.cookies.get(COOKIE)
        return self.store.login(token) if token else None

    async def handle_play(self, request: web.Request) -> web.Response:
        if self._student(request) is None:
            raise web.HTTPSeeOther("/")
        scheme = "wss" if request.secure else "ws"
        return web.Response(text=play_page(f"{scheme}://{request.host}/ws"), content_type="text/html")

    def environment(self, student: int) -> dict[str, str]:
        home = self.folder / "students" / str(student)
        home.mkdir(parents=True, exist_ok=True)
        env = {"GRADQUEST_HOME": str(home), CLASS_ENV: str(self.folder), STUDENT_ENV: str(student)}
        if self.levels is not None:
            env["GRADQUEST_LEVELS"] = str(Path(self.levels).resolve())
        if self.db:
            env[DB_ENV] = self.db
        return env

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        student = self._student(request)
        origin = request.headers.get("Origin")
        if student is None or (origin is not None and origin.split("://", 1)[-1] != request.host):
            raise web.HTTPForbidden()
        if len(self.live) >= self.max_students:
            raise web.HTTPServiceUnavailable(text="the class is full (--max-students)")
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        width = _within(request.query.get("width"), 80, 20, 400)
        height = _within(request.query.get("height"), 24, 10, 200)
        service = StudentApp(self.command, self.environment(student), write_bytes=websocket.send_bytes,
                             write_str=websocket.send_str, close=websocket.close,
                             download_manager=self.download_manager)
        self.live.add(service)
        try:
            await service.start(width, height)
            await self._forward(websocket, service)
        except asyncio.CancelledError:
            pass
        finally:
            await service.stop()
            self.live.discard(service)
            await websocket.close()
        return websocket

    async def _forward(self, websocket: web.WebSocketResponse, service: StudentApp) -> None:
        """The browser's keys and sizes to the game, until the tab closes or stays idle too long."""
        last_key = time.monotonic()
        while True:
            left = self.idle - (time.monotonic() - last_key)
            if left <= 0:
                return
            try:
                message = await websocket.receive(timeout=left)
            except asyncio.TimeoutError:
                return
            if message.type != WSMsgType.TEXT:
                if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
                    return
                continue
            try:
                kind, data = json.loads(message.data)
            except (ValueError, TypeError):
                continue
            if kind == "stdin" and isinstance(data, str):
                last_key = time.monotonic()
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(_within(data.get("width"), 80, 20, 400),
                                                _within(data.get("height"), 24, 10, 200))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind in ("blur", "focus"):
                await (service.blur() if kind == "blur" else service.focus())


def _within(value, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(value)))
    except (TypeError, ValueError):
        return default


PROBLEMS = {
    "name": ("Type your name (up to 80 characters).", "请输入你的名字（最多 80 个字符）。"),
    "code": ("That is not this class's code.", "班级代码不对。"),
    "too_many": ("Too many tries: wait a minute.", "尝试次数太多：请等一分钟。"),
}

STYLE = ("body{font-family:sans-serif;background:#0c181f;color:#eee;display:flex;justify-content:center;"
         "align-items:center;height:100vh;margin:0}form{background:#12232d;padding:2em;border-radius:6px}"
         "label{display:block;margin:.6em 0 .2em}input{font-size:1.1em;padding:.3em;width:18em}"
         "button{margin-top:1em;font-size:1.1em;padding:.3em 1.5em}.problem{color:#f88}")


def login_page(problem: str = "", with_code: bool = True) -> str:
    said = PROBLEMS.get(problem)
    warn = f'<p class="problem" role="alert">{escape(said[0])}<br>{escape(said[1])}</p>' if said else ""
    code = ('<label for="code">Class code · 班级代码</label>'
            '<input id="code" name="code" type="password" autocomplete="off" required>') if with_code else ""
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>GradQuest</title>"
            f"<style>{STYLE}</style></head><body><form method=\"post\" action=\"/login\"><h1>GradQuest</h1>{warn}"
            '<label for="name">Your name · 你的名字</label>'
            f'<input id="name" name="name" maxlength="{MAX_NAME}" autocomplete="name" required autofocus>'
            f"{code}<button type=\"submit\">Play · 开始</button></form></body></html>")


def play_page(websocket_url: str) -> str:
    """The terminal: textual-serve's script and style, the font from this server."""
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>GradQuest</title>"
            '<link rel="stylesheet" href="/static/css/xterm.css"><script src="/static/js/textual.js"></script>'
            "<style>@font-face{font-family:'Roboto Mono';src:url('/static/fonts/RobotoMono.ttf')}"
            "body{background:#0c181f;margin:0}.textual-terminal{width:100vw;height:100vh}</style></head><body>"
            f'<div id="terminal" class="textual-terminal" data-session-websocket-url="{escape(websocket_url)}" '
            'data-font-size="16"></div></body></html>')


def serve(folder: str, host: str, port: int, levels: str | None, code: str | None, max_students: int,
          idle_minutes: float, db: str | None = None) -> None:
    ClassServer(Path(folder), host, port, Path(levels) if levels else None, code or os.environ.get("GRADQUEST_CLASS_CODE"),
                max_students, idle_minutes, db).serve()
