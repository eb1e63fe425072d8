"""A fake Feishu OpenAPI on 127.0.0.1, with scripted faults and calls counted server-side.

``FakeOpenAPI().start()`` serves, from a thread, what the client uses: the tenant token,
progress records, a user's OKRs, the contact directory (:attr:`FakeOpenAPI.users`), chat
messages and their images (checked as the IM API checks them: :attr:`FakeOpenAPI.messages`)
and drive media (:attr:`FakeOpenAPI.media`). A test scripts the next answers for a path with
:meth:`FakeOpenAPI.script` (each answer used once, in order; then the normal answer), or
a standing answer with :meth:`FakeOpenAPI.serve` (an image host, a redirect), and reads
:attr:`FakeOpenAPI.calls` afterwards.

It can also be hostile, one :class:`Answer` field each: echo the request's secrets back
(``echo``), trickle the headers or the body a byte at a time (``trickle``,
``trickle_headers``), send a body of any size without holding it (``size``), send raw bytes
(``raw``: garbage gzip, JSON nested 100k deep), interrupt the process that runs the client as
Ctrl-C would (``interrupt``), and :attr:`FakeOpenAPI.endless` answers full
OKR pages forever (``"distinct"``, or ``"same"``: ignoring the offset).

The OKR API v2 (cycles, objectives, key results, progress lists) and v1 periods are served
from :attr:`FakeOpenAPI.okr` (:meth:`FakeOpenAPI.add_okrs` fills it with a realistic user's
OKRs in the shape of ``tests/fixtures/v2/``), paged by page token and checked as the API
checks them (``page_size`` 1..100, ``user_id`` required for cycles, a known
``user_id_type``); :attr:`FakeOpenAPI.paging_fault` breaks every listing's paging
(``"loop"``: the same token every time, ``"same"``: the token ignored, ``"endless"``:
new pages forever).
"""

from __future__ import annotations

import copy
import json
import re
import signal
import socket
import threading
import time
from collections import defaultdict, deque
from email.parser import BytesParser
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs

APP_ID, APP_SECRET = "cli_test", "s3cret-value"


@attrs.frozen
class Answer:
    """One scripted answer: a status and a JSON body, or a fault."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = attrs.Factory(dict)
    delay: float = 0.0  # seconds before answering (past the client's timeout: a timeout)
    drop: bool = False  # close the connection in the middle of the answer
    raw: bytes | None = None  # the body's bytes as they are (instead of ``body`` as JSON)
    size: int = 0  # a body of this many filler bytes, streamed (no Content-Length)
    trickle: float = 0.0  # seconds between the body's bytes
    trickle_headers: float = 0.0  # seconds between the bytes of the status line and headers
    echo: bool = False  # answer 400 with the request's body and Authorization in msg and log id
    interrupt: bool = False  # SIGINT to this process's main thread first (Ctrl-C mid-request)


def record_envelope(progress_id: str) -> dict[str, Any]:
    """The SDK-shaped envelope of the API page's example, for any id."""
    return {
        "code": 0,
        "msg": "success",
        "data": {
            "progress_id": progress_id,
            "modify_time": "1640677213095",
            "content": {
                "blocks": [
                    {
                        "type": "paragraph",
                        "paragraph": {
                            "elements": [
                                {"type": "textRun", "textRun": {"style": {}, "text": " "}},
                                {
                                    "type": "person",
                                    "person": {
                                        "openId": "ou_b1ba99a5340289d7af30839fd95ce1ee",
                                        "userId": "7012194140645721644",
                                    },
                                },
                            ]
                        },
                    }
                ]
            },
        },
    }


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout test) is expected: no traceback for it."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _multipart(content_type: str, raw: bytes) -> dict[str, Any]:
    """Form fields of a multipart body, parsed as a server would (files as bytes)."""
    message = BytesParser(policy=default).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw
    )
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if part.get_filename() is not None:
            fields[str(name)] = {
                "filename": part.get_filename(),
                "data": payload,
                "content_type": part.get_content_type(),
            }
        else:
            fields[str(name)] = payload.decode() if isinstance(payload, bytes) else payload
    return fields


class FakeOpenAPI:
    def __init__(self) -> None:
        self.calls: dict[str, int] = defaultdict(int)
        self.requests: list[tuple[str, str, dict[str, Any], dict[str, str]]] = []
        self.scripts: dict[str, deque[Answer]] = defaultdict(deque)
        self.tokens_issued = 0
        self.valid_tokens: set[str] = set()
        self.token_lifetime = 7200
        self.okrs: dict[str, list[dict[str, Any]]] = {}
        self.records: dict[str, dict[str, Any]] = {}  # created and updated records, by id
        self.bodies: list[tuple[str, str, Any]] = []  # (method, path, JSON or form) received
        self.uploads: list[dict[str, Any]] = []  # multipart fields, the file as bytes
        self.next_id = 7100000000000000000
        self.standing: dict[str, Answer] = {}  # path -> the answer every time (an image host)
        self.endless: str | None = None  # "distinct" or "same": OKR pages that never end
        self.sent: dict[str, int] = defaultdict(int)  # body bytes written, by path
        self.users: dict[str, str] = {}  # open id -> name: the users the app may see
        self.refused_users: set[str] = set()  # a batch holding one of these: 41050
        self.messages: list[dict[str, Any]] = []  # every message posted (one per uuid)
        self.im_images: list[dict[str, Any]] = []  # images uploaded for messages
        self.media: dict[str, tuple[bytes, str]] = {}  # drive file token -> (bytes, type)
        self.okr: dict[tuple[str, str], list[Any]] = defaultdict(list)  # (listing, parent) -> items
        self.paging_fault: str | None = None  # "loop", "same" or "endless": paging that never ends
        self.next_okr_id = 7342342398472400000
        self._lock = threading.Lock()
        self.server = _Server(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True

    @property
    def base_url(self) -> str:
        port = self.server.server_address[1]
        return f"http://127.0.0.1:{port}"

    def start(self) -> FakeOpenAPI:
        threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def script(self, path: str, *answers: Answer) -> None:
        self.scripts[path].extend(answers)

    def serve(self, path: str, answer: Answer) -> None:
        """Answer ``path`` with ``answer`` every time."""
        self.standing[path] = answer

    def expire_tokens(self) -> None:
        """Every token issued so far becomes invalid (a token expiring mid-run)."""
        self.valid_tokens.clear()

    # answers

    def _answer(
        self, method: str, path: str, query: dict[str, Any], body: Any, headers: dict[str, str]
    ) -> Answer:
        with self._lock:
            self.calls[path] += 1
            self.requests.append((method, path, query, headers))
            scripted = self.scripts[path].popleft() if self.scripts[path] else None
        if scripted is not None:
            return scripted
        if path in self.standing:
            return self.standing[path]
        if path == "/open-apis/auth/v3/tenant_access_token/internal":
            if body != {"app_id": APP_ID, "app_secret": APP_SECRET}:
                return Answer(400, {"code": 10014, "msg": "app secret invalid"})
            with self._lock:
                self.tokens_issued += 1
                token = f"t-{self.tokens_issued}"
                self.valid_tokens.add(token)
            return Answer(
                200,
                {
                    "code": 0,
                    "msg": "ok",
                    "tenant_access_token": token,
                    "expire": self.token_lifetime,
                },
            )
        token = headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.valid_tokens and not token.startswith("u-"):
            return Answer(400, {"code": 99991663, "msg": "Invalid access token for authorization"})
        if path == "/open-apis/okr/v1/progress_records" and method == "POST":
            with self._lock:
                self.next_id += 1
                progress_id = str(self.next_id)
                self.records[progress_id] = {
                    "progress_id": progress_id,
                    "modify_time": "1700000000000",
                    "content": body["content"],
                    **({"progress_rate": body["progress_rate"]} if "progress_rate" in body else {}),
                }
            return Answer(200, {"code": 0, "msg": "success", "data": self.records[progress_id]})
        if path == "/open-apis/okr/v1/images/upload":
            with self._lock:
                self.uploads.append(body)
                token = f"boxcnUP{len(self.uploads)}"
            return Answer(
                200,
                {
                    "code": 0,
                    "msg": "success",
                    "data": {
                        "file_token": token,
                        "url": f"https://internal-api.feishu.cn/img/{token}",
                    },
                },
            )
        if path.startswith("/open-apis/okr/v1/progress_records/"):
            progress_id = path.rsplit("/", 1)[1]
            if progress_id == "404" or (method != "GET" and progress_id not in self.records):
                return Answer(400, {"code": 1001004, "msg": "okr data not found"})
            if method == "DELETE":
                with self._lock:
                    del self.records[progress_id]
                return Answer(200, {"code": 0, "msg": "success", "data": {}})
            if method == "PUT":
                with self._lock:
                    self.records[progress_id] = {
                        **self.records[progress_id],
                        "content": body["content"],
                        **(
                            {"progress_rate": body["progress_rate"]}
                            if "progress_rate" in body
                            else {}
                        ),
                    }
            if progress_id in self.records:
                return Answer(200, {"code": 0, "msg": "success", "data": self.records[progress_id]})
            return Answer(200, record_envelope(progress_id))
        if path in _DIRECTORY:
            return self._users(path, query, body)
        if path == "/open-apis/im/v1/messages" and method == "POST":
            return self._message(query, body)
        if path == "/open-apis/im/v1/images" and method == "POST":
            return self._im_image(body)
        if path.startswith("/open-apis/drive/v1/medias/") and path.endswith("/download"):
            found = self.media.get(path.split("/")[5])
            if found is None:
                return Answer(404, {"code": 1061003, "msg": "file not found"})
            return Answer(200, raw=found[0], headers={"Content-Type": found[1]})
        listing = _okr_listing(path, query)
        if listing is not None:
            return self._okr_page(listing, query)
        if path.startswith("/open-apis/okr/v1/users/") and path.endswith("/okrs"):
            user = path.split("/")[5]
            okrs = self.okrs.get(user, [])
            offset, limit = int(query["offset"][0]), int(query["limit"][0])
            if self.endless is not None:
                start = 0 if self.endless == "same" else offset
                page = [
                    {
                        "id": f"okr{n}",
                        "objective_list": [{"progress_record_list": [{"id": str(n)}]}],
                    }
                    for n in range(start + 1, start + limit + 1)
                ]
                return Answer(200, {"code": 0, "msg": "success", "data": {"okr_list": page}})
            page = okrs[offset : offset + limit]
            return Answer(
                200, {"code": 0, "msg": "success", "data": {"total": len(okrs), "okr_list": page}}
            )
        return Answer(404, {"code": 1001001, "msg": "invalid parameters"})

    def _okr_page(self, listing: tuple[str, str] | Answer, query: dict[str, Any]) -> Answer:
        """One page of an OKR listing, by page token (``"pt<offset>"``)."""
        if isinstance(listing, Answer):
            return listing
        size_text = query.get("page_size", ["10"])[0]
        token = query.get("page_token", [""])[0]
        if not size_text.isdigit() or not 1 <= int(size_text) <= 100:
            return Answer(400, {"code": 99992402, "msg": "field validation failed: page_size"})
        if token and not re.fullmatch(r"pt[0-9]+", token):
            return Answer(400, {"code": 1001001, "msg": "invalid parameters: page_token"})
        size, offset = int(size_text), int(token[2:]) if token else 0
        with self._lock:
            items = list(self.okr[listing])
        if self.paging_fault is not None:
            fault = self.paging_fault
            start = 0 if fault == "same" else offset
            following = "pt1" if fault == "loop" else f"pt{offset + size}"
            items = items or [{"id": str(n)} for n in range(1, 1001)]
            page = [items[(start + n) % len(items)] for n in range(size)]
            if fault == "endless":
                page = [{**item, "id": str(offset + n)} for n, item in enumerate(page)]
            data = {"items": page, "has_more": True, "page_token": following}
            return Answer(200, {"code": 0, "msg": "success", "data": data})
        page = items[offset : offset + size]
        more = offset + size < len(items)
        data = {
            "items": page,
            "has_more": more,
            **({"page_token": f"pt{offset + size}"} if more else {}),
        }
        return Answer(200, {"code": 0, "msg": "success", "data": data})

    def add_okrs(
        self,
        user: str,
        *,
        cycles: int = 1,
        objectives: int = 2,
        key_results: int = 2,
        progress: int = 2,
    ) -> dict[str, list[dict[str, Any]]]:
        """A user's OKRs, served from now on: ``cycles`` cycles (each of a v1 period of the
        tenant, made on first use: ``Q1 2025``, ``Q2 2025``, ...), each holding
        ``objectives`` objectives of ``key_results`` key results, with ``progress`` progress
        items on every objective and key result. Items are the fixtures of
        ``tests/fixtures/v2/`` with new ids, times and text. Returns every item made, by
        kind."""
        made: dict[str, list[dict[str, Any]]] = defaultdict(list)
        owner = {"owner_type": "user", "user_id": user}

        def new(kind: str, text: str, **fields: Any) -> dict[str, Any]:
            with self._lock:
                self.next_okr_id += 1
                number = self.next_okr_id
            item: dict[str, Any] = copy.deepcopy(_V2[kind])
            item.update(id=str(number), owner=owner, **fields)
            item["create_time"] = item["update_time"] = str(1735689600000 + number % 100000)
            if "content" in item:
                item["content"] = _content(text)
            made[kind].append(item)
            return item

        for c in range(cycles):
            start = 1735689600000 + c * 7776000000  # quarters from 2025-01-01
            name = f"Q{c % 4 + 1} {2025 + c // 4}"
            periods = self.okr["periods", ""]
            if c == len(periods):  # the tenant's periods: one a quarter, for every user
                periods.append(
                    {
                        "id": str(7000000000000000001 + c),
                        "zh_name": f"{2025 + c // 4} 年第 {c % 4 + 1} 季度",
                        "en_name": name,
                        "status": 0,
                        "period_start_time": str(start),
                        "period_end_time": str(start + 7775999999),
                    }
                )
            period = periods[c]["id"]
            cycle = new(
                "cycle",
                name,
                tenant_cycle_id=period,
                start_time=str(start),
                end_time=str(start + 7775999999),
            )
            self.okr["cycles", user].append(cycle)
            for o in range(objectives):
                objective = new("objective", f"Objective {o + 1} of {name}", cycle_id=cycle["id"])
                objective["position"] = o + 1
                self.okr["objectives", cycle["id"]].append(objective)
                self._progress("objectives", objective, 2, progress, new)
                for k in range(key_results):
                    key_result = new(
                        "key_result",
                        f"KR {k + 1}: activation {40 + k}%",
                        objective_id=objective["id"],
                    )
                    key_result["position"] = k + 1
                    self.okr["key_results", objective["id"]].append(key_result)
                    self._progress("key_results", key_result, 3, progress, new)
        return dict(made)

    def _progress(
        self, route: str, target: dict[str, Any], kind: int, count: int, new: Any
    ) -> None:
        for week in range(count):
            item = new(
                "progress", f"Week {week + 1}: on track", entity_type=kind, entity_id=target["id"]
            )
            self.okr[f"{route}/progresses", target["id"]].append(item)

    def _users(self, path: str, query: dict[str, Any], body: Any) -> Answer:
        """Users by id: those the app may see, named; the others left out; a batch over
        the documented size, or holding a refused user, refused whole."""
        batch, items, id_field = _DIRECTORY[path]
        ids = query.get("user_ids", []) if batch == 50 else (body or {}).get("user_ids", [])
        if not ids or len(ids) > batch or query.get("user_id_type") != ["open_id"]:
            return Answer(400, {"code": 40001, "msg": "invalid parameter"})
        if self.refused_users & set(ids):
            return Answer(400, {"code": 41050, "msg": "no user authority"})
        users = [{id_field: i, "name": self.users[i]} for i in ids if i in self.users]
        return Answer(200, {"code": 0, "msg": "success", "data": {items: users}})

    def _message(self, query: dict[str, Any], body: Any) -> Answer:
        """A message, checked as the IM API does: a chat id, msg_type post, content the JSON
        *string* of a post, a uuid of at most 50 characters (one message per uuid)."""
        problem = _post_problem(query, body)
        if problem:
            return Answer(400, {"code": 230001, "msg": f"invalid request parameter: {problem}"})
        if body["receive_id"] == "oc_outside":
            return Answer(400, {"code": 230002, "msg": "The bot can not be outside the group."})
        with self._lock:
            sent = next((m for m in self.messages if m["uuid"] == body["uuid"]), None)
            if sent is None:
                sent = {**body, "message_id": f"om_{len(self.messages) + 1}"}
                self.messages.append(sent)
        data = {
            "message_id": sent["message_id"],
            "chat_id": sent["receive_id"],
            "msg_type": "post",
            "create_time": "1700000000000",
            "body": {"content": sent["content"]},
        }
        return Answer(200, {"code": 0, "msg": "success", "data": data})

    def _im_image(self, body: Any) -> Answer:
        image = (body or {}).get("image")
        if (body or {}).get("image_type") != "message" or not isinstance(image, dict):
            return Answer(400, {"code": 234001, "msg": "Invalid request param."})
        if not image["data"]:
            return Answer(400, {"code": 234010, "msg": "File's size can't be 0."})
        with self._lock:
            self.im_images.append(image)
            key = f"img_v3_{len(self.im_images)}"
        return Answer(200, {"code": 0, "msg": "success", "data": {"image_key": key}})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _serve(self, method: str) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                kind = self.headers.get("content-type", "")
                body: Any = None
                if kind.startswith("multipart/form-data"):
                    body = _multipart(kind, raw)
                elif raw:
                    body = json.loads(raw)
                if body is not None:
                    api.bodies.append((method, url.path, body))
                headers = {k.lower(): v for k, v in self.headers.items()}
                answer = api._answer(method, url.path, parse_qs(url.query), body, headers)
                if answer.echo:
                    said = raw.decode("utf-8", "replace") + " " + headers.get("authorization", "")
                    answer = Answer(
                        400, {"code": 10014, "msg": f"bad request: {said}"}, {"X-Tt-Logid": said}
                    )
                if answer.interrupt:
                    main = threading.main_thread().ident
                    if main is not None:
                        signal.pthread_kill(main, signal.SIGINT)
                if answer.delay:
                    time.sleep(answer.delay)
                if answer.raw is not None:
                    payload = answer.raw
                else:
                    payload = json.dumps(answer.body).encode() if answer.body is not None else b""
                head = [f"HTTP/1.1 {answer.status} {self.responses.get(answer.status, ('',))[0]}"]
                fields = {
                    "Content-Type": "application/json; charset=utf-8",
                    "X-Tt-Logid": f"log-{api.calls[url.path]}",
                    **({} if answer.size else {"Content-Length": str(len(payload))}),
                    **answer.headers,
                }
                head += [f"{key}: {value}" for key, value in fields.items()]
                if answer.size:
                    head.append("Connection: close")
                    self.close_connection = True
                header = ("\r\n".join(head) + "\r\n\r\n").encode("utf-8", "backslashreplace")
                plain = not (answer.drop or answer.size or answer.trickle)
                if answer.trickle_headers:
                    self._trickle(header, answer.trickle_headers)
                elif plain:  # one write: a second small one would wait for a delayed ACK
                    self.wfile.write(header + payload)
                    return
                else:
                    self.wfile.write(header)
                if answer.drop:
                    self.wfile.write(payload[: len(payload) // 2])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                if answer.size:
                    chunk = b" " * 65536
                    while api.sent[url.path] < answer.size:
                        self.wfile.write(chunk)
                        api.sent[url.path] += len(chunk)
                elif answer.trickle:
                    self._trickle(payload, answer.trickle)
                else:
                    self.wfile.write(payload)

            def _trickle(self, data: bytes, pause: float) -> None:
                for index in range(len(data)):
                    self.wfile.write(data[index : index + 1])
                    self.wfile.flush()
                    time.sleep(pause)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def do_PUT(self) -> None:
                self._serve("PUT")

            def do_DELETE(self) -> None:
                self._serve("DELETE")

        return Handler


_DIRECTORY = {
    "/open-apis/contact/v3/users/batch": (50, "items", "open_id"),
    "/open-apis/contact/v3/users/basic_batch": (10, "users", "user_id"),
}
"""The contact lookups: path -> (the most ids a request may hold, the answer's list, the id
field of its users)."""


def _post_problem(query: dict[str, Any], body: Any) -> str | None:
    """What the IM API would refuse in a post message, or None."""
    if query.get("receive_id_type") != ["chat_id"]:
        return "receive_id_type"
    if not isinstance(body, dict) or not str(body.get("receive_id", "")).startswith("oc_"):
        return "receive_id"
    if body.get("msg_type") != "post":
        return "msg_type"
    if not isinstance(body.get("uuid"), str) or not 0 < len(body["uuid"]) <= 50:
        return "uuid"
    content = body.get("content")
    if not isinstance(content, str):
        return "content is not a string"
    try:
        post = json.loads(content)
    except ValueError:
        return "content is not JSON"
    if not isinstance(post, dict) or not post:
        return "content is not a post"
    for locale in post.values():
        lines = locale.get("content") if isinstance(locale, dict) else None
        if not isinstance(lines, list) or not all(
            isinstance(line, list)
            and all(isinstance(e, dict) and isinstance(e.get("tag"), str) for e in line)
            for line in lines
        ):
            return "content is not a post"
        problem = next(filter(None, map(_line_problem, lines)), None)
        if problem:
            return problem
    return None


POST_TAGS = {
    "text": ("text",),
    "a": ("text", "href"),
    "at": ("user_id",),
    "img": ("image_key",),
    "media": ("file_key",),
    "emotion": ("emoji_type",),
    "hr": (),
    "code_block": ("text",),
    "md": ("text",),
}
"""The post's tags and the fields each requires (the docs' "富文本 post" tables)."""


def _line_problem(line: list[dict[str, Any]]) -> str | None:
    """What the IM API would refuse in a line: an unknown tag, a required field missing or
    empty, a style that is not a list, an image or video sharing its paragraph."""
    for element in line:
        tag = element["tag"]
        if tag not in POST_TAGS:
            return f"unknown tag {tag!r}"
        for field in POST_TAGS[tag]:
            value = element.get(field)
            if not isinstance(value, str) or (field != "text" and not value):
                return f"{tag}.{field} is required"
        if not isinstance(element.get("style", []), list):
            return f"{tag}.style is not a list"
        if tag in ("img", "media") and len(line) > 1:
            return f"{tag} must be a paragraph of its own"
    return None


_V2 = {
    name: json.loads((Path(__file__).parent / "fixtures" / "v2" / f"{name}.json").read_text())
    for name in ("cycle", "objective", "key_result", "progress")
}
"""The fixtures an item of each kind is made from."""

_OKR_ROUTES = (
    (re.compile(r"/open-apis/okr/v2/cycles"), "cycles"),
    (re.compile(r"/open-apis/okr/v2/cycles/([^/]+)/objectives"), "objectives"),
    (re.compile(r"/open-apis/okr/v2/objectives/([^/]+)/key_results"), "key_results"),
    (re.compile(r"/open-apis/okr/v2/objectives/([^/]+)/progresses"), "objectives/progresses"),
    (re.compile(r"/open-apis/okr/v2/key_results/([^/]+)/progresses"), "key_results/progresses"),
    (re.compile(r"/open-apis/okr/v1/periods"), "periods"),
)
"""The OKR listings: path -> the listing it is (the parent id from the path)."""

_USER_ID_TYPES = {"open_id", "union_id", "user_id"}


def _okr_listing(path: str, query: dict[str, Any]) -> tuple[str, str] | Answer | None:
    """``(listing, parent)`` of an OKR listing's path (or the answer refusing its query);
    None for any other path."""
    for pattern, listing in _OKR_ROUTES:
        found = pattern.fullmatch(path)
        if found is None:
            continue
        if listing == "periods":
            return listing, ""
        if query.get("user_id_type", ["open_id"])[0] not in _USER_ID_TYPES:
            return Answer(400, {"code": 99992402, "msg": "field validation failed: user_id_type"})
        if listing == "cycles":
            user = query.get("user_id", [""])[0]
            if not user:
                return Answer(400, {"code": 99992402, "msg": "field validation failed: user_id"})
            return listing, user
        if not found.group(1).isdigit():
            return Answer(400, {"code": 1001001, "msg": "invalid parameters"})
        return listing, found.group(1)
    return None


def _content(text: str) -> dict[str, Any]:
    """v2 content of one paragraph of ``text``, a mention and a bullet beneath it."""
    return {
        "blocks": [
            {
                "block_element_type": "paragraph",
                "paragraph": {
                    "elements": [
                        {
                            "paragraph_element_type": "textRun",
                            "text_run": {"text": text, "style": {"bold": True}},
                        },
                        {
                            "paragraph_element_type": "mention",
                            "mention": {"user_id": "ou_3bbe8a09c20e89cce9bff989ed840674"},
                        },
                    ]
                },
            },
            {
                "block_element_type": "paragraph",
                "paragraph": {
                    "style": {"list": {"list_type": "bullet", "indent_level": 0}},
                    "elements": [
                        {"paragraph_element_type": "textRun", "text_run": {"text": "details"}}
                    ],
                },
            },
        ]
    }
