"""The media policy: which images an update may take with it, from disk and from the web.

An update is often written by someone else (a teammate, a bot, an LLM), and each image it
names is read and uploaded, so the default is narrow and a caller widens it explicitly:

- **Local files** are read only inside the document's own folder (or ``root``): never through
  ``..``, never a ``file:`` URL, never a symlink that leads out, never anything but a regular
  file (a FIFO or a device would block or never end).
- **Remote images** are fetched only over http(s), from **public addresses**: every host is
  checked after name resolution and on every redirect, and the connection goes to the
  address that was checked (no window for DNS rebinding). ``allow_private`` or
  ``allow_networks`` widen that for an intranet.
- **Every image** is at most ``max_bytes`` (10 MB by default; streamed, stopped at the cap),
  served as ``image/*``, and *is* an image by its first bytes (:data:`IMAGE_TYPES`).

A refusal is a :class:`~okrcontent.fetch.errors.MediaError` naming the image, raised before
anything is posted.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import stat
import time
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from urllib.parse import unquote, urlsplit

import attrs

from ..ids import shown
from ..urls import scheme_of
from .errors import AnswerTooLargeError, MediaError

__all__ = ["IMAGE_TYPES", "MAX_MEDIA_BYTES", "Media", "MediaPolicy", "image_type"]

MAX_MEDIA_BYTES = 10 * 1024 * 1024
"""The default cap on one image: 10 MB."""

IMAGE_TYPES: tuple[tuple[str, str, tuple[tuple[int, bytes], ...]], ...] = (
    ("image/png", ".png", ((0, b"\x89PNG\r\n\x1a\n"),)),
    ("image/jpeg", ".jpg", ((0, b"\xff\xd8\xff"),)),
    ("image/gif", ".gif", ((0, b"GIF87a"),)),
    ("image/gif", ".gif", ((0, b"GIF89a"),)),
    ("image/webp", ".webp", ((0, b"RIFF"), (8, b"WEBP"))),
    ("image/bmp", ".bmp", ((0, b"BM"),)),
    ("image/tiff", ".tiff", ((0, b"II*\x00"),)),
    ("image/tiff", ".tiff", ((0, b"MM\x00*"),)),
    ("image/x-icon", ".ico", ((0, b"\x00\x00\x01\x00"),)),
)
"""(MIME type, file extension, the bytes it starts with at their offsets): the images an
update may carry. SVG is not one: it is a document that can hold scripts."""

ADDRESS_KINDS: tuple[tuple[str, str], ...] = (
    ("is_loopback", "loopback"),
    ("is_unspecified", "unspecified"),
    ("is_link_local", "link-local"),
    ("is_multicast", "multicast"),
    ("is_private", "private"),
    ("is_reserved", "reserved"),
)
"""``ipaddress`` property -> the word for it in a refusal; an address none of them fits and
that is global is public."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


@attrs.frozen
class Media:
    """An image read or downloaded under the policy: its bytes, a file name, its type."""

    data: bytes
    name: str
    mime_type: str

    @property
    def extension(self) -> str:
        """The file extension its bytes say (``.png``), with the dot."""
        found = image_type(self.data)
        return found[1] if found is not None else ""


def image_type(data: bytes) -> tuple[str, str] | None:
    """``(MIME type, extension)`` of an image by its first bytes; None if it is none."""
    for mime, extension, marks in IMAGE_TYPES:
        if all(data[at : at + len(mark)] == mark for at, mark in marks):
            return mime, extension
    return None


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return (values,) if isinstance(values, str) else tuple(values)


def _resolve(host: str, port: int) -> list[str]:
    """The addresses a name resolves to (the system resolver)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(sockaddr[0]) for *_, sockaddr in found]


def _embedded(address: IPAddress) -> list[IPAddress]:
    """Any IPv4 address inside it (mapped, 6to4, Teredo, NAT64), then the address: a public
    IPv6 form must not carry a loopback or private IPv4 address through."""
    found: list[IPAddress] = []
    if isinstance(address, ipaddress.IPv6Address):
        found += [a for a in (address.ipv4_mapped, address.sixtofour) if a is not None]
        if address.teredo is not None:
            found.append(address.teredo[1])
        if address in _NAT64:
            found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [*found, address]


def address_kind(address: IPAddress) -> str | None:
    """What makes an address non-public (``loopback``, ``private``...); None if public."""
    for each in _embedded(address):
        for attribute, word in ADDRESS_KINDS:
            if getattr(each, attribute):
                return word
        if not each.is_global:
            return "non-public"
    return None


@attrs.frozen
class MediaPolicy:
    """What :func:`~okrcontent.fetch.post.prepare_images` and ``Client.upload_image`` accept.

    ``root``: local images only inside this folder (default: the document's own folder).
    ``allow_private``: remote images also from loopback, private, link-local and other
    non-public addresses (an intranet); ``allow_networks``: or from these networks only
    (``("10.1.0.0/16",)``). ``max_bytes``: the cap on one image. ``timeout``: seconds for one
    download, redirects included; ``max_redirects``: how many it may follow. ``resolve``:
    ``(host, port) -> addresses``, the name resolution (the system's by default).
    """

    root: Path | None = attrs.field(default=None, converter=attrs.converters.optional(Path))
    allow_private: bool = False
    allow_networks: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    max_bytes: int = MAX_MEDIA_BYTES
    timeout: float = 30.0
    max_redirects: int = 5
    resolve: Callable[[str, int], list[str]] = attrs.field(default=_resolve, eq=False, repr=False)
    _networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = attrs.field(
        init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        try:
            networks = tuple(ipaddress.ip_network(n, strict=False) for n in self.allow_networks)
        except ValueError as error:
            raise ValueError(f"allow_networks: {error}") from None
        object.__setattr__(self, "_networks", networks)

    # --- addresses -------------------------------------------------------------------------

    def check_address(self, host: str, port: int) -> str:
        """The address to connect to for ``host``; every address it resolves to must be
        allowed (a name with one private address among public ones is refused)."""
        try:
            literal = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            literal = None
        if literal is not None:
            addresses = [str(literal)]
        else:
            try:
                addresses = self.resolve(host, port)
            except (OSError, UnicodeError) as error:
                raise MediaError(f"cannot resolve {shown(host)}: {error}") from None
        if not addresses:
            raise MediaError(f"{shown(host)} resolves to no address")
        for text in addresses:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            kind = address_kind(address)
            if kind is None or self.allow_private:
                continue
            if any(address in network for network in self._networks):
                continue
            at = "" if literal is not None else f" is at {address}, which"
            raise MediaError(
                f"{shown(host)}{at} is a {kind} address: refused (the media policy fetches"
                " only from public addresses unless allow_private or allow_networks widens it)"
            )
        return addresses[0]

    def check_url(self, url: str) -> None:
        """What can be said of a remote image's URL without fetching it."""
        if scheme_of(url) not in ("http", "https"):
            raise MediaError(f"{shown(url)} is neither a file nor an http(s) URL")
        try:
            parts = urlsplit(url)
            host, port = parts.hostname, parts.port
        except ValueError as error:  # a broken [IPv6] host, a port out of range
            raise MediaError(f"{shown(url)} is not a URL: {error}") from None
        if not host:
            raise MediaError(f"{shown(url)} names no host")
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            return
        self.check_address(str(literal), port or 80)

    # --- reading ---------------------------------------------------------------------------

    def checked(self, data: bytes, name: str, what: str) -> Media:
        """``data`` as an image, if it is one (by its bytes) within the cap."""
        if len(data) > self.max_bytes:
            raise MediaError(f"{what} is over the cap of {self.max_bytes} bytes")
        found = image_type(data)
        if found is None:
            raise MediaError(f"{what} is not an image (PNG, JPEG, GIF, WebP, BMP, TIFF or ICO)")
        mime, extension = found
        return Media(data, name or "image" + extension, mime)

    def _read(self, path: Path, what: str) -> Media:
        """A regular file's bytes, at most the cap, opened without following a last symlink
        and without blocking on a FIFO."""
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            descriptor = os.open(path, flags)
        except (OSError, ValueError) as error:  # ValueError: a NUL or a lone surrogate
            reason = error.strerror if isinstance(error, OSError) else None
            raise MediaError(f"cannot read {what}: {reason or error}") from None
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                raise MediaError(f"{what} is not a regular file")
            if status.st_size > self.max_bytes:
                raise MediaError(f"{what} is over the cap of {self.max_bytes} bytes")
            with os.fdopen(descriptor, "rb") as stream:
                descriptor = -1  # the stream closes it now
                data = stream.read(self.max_bytes + 1)
        finally:
            if descriptor >= 0:
                os.close(descriptor)
        return self.checked(data, path.name, what)

    def image(self, image: bytes | str | Path, name: str | None = None) -> Media:
        """An image a caller hands over directly: bytes, or a file path it chose."""
        if isinstance(image, bytes):
            return self.checked(image, name or "", "the image")
        media = self._read(Path(image), shown(str(image)))
        return attrs.evolve(media, name=name) if name else media

    def check_served(self, content_type: str, what: str) -> None:
        """An image host must say it serves an image (``image/*``)."""
        kind = content_type.split(";")[0].strip().lower()
        if not kind.startswith("image/"):
            raise MediaError(f"{what} is served as {kind or 'nothing'}, not an image")

    def read_local(self, src: str, base: Path) -> Media:
        """A local image a document names, relative to the document's folder ``base``."""
        what = shown(src)
        scheme = scheme_of(src)
        if scheme == "file":
            raise MediaError(
                f"{what}: file: URLs are not read (name the image relative to the document)"
            )
        if scheme is not None:
            raise MediaError(f"{what} is neither a file nor an http(s) URL")
        root = (self.root if self.root is not None else base).resolve()
        candidates = [src] if unquote(src) == src else [src, unquote(src)]
        for candidate in candidates:
            if ".." in PurePath(candidate).parts:
                raise MediaError(
                    f"{what} goes up a folder (..): images are read only inside {root}"
                )
        path = next(
            (p for p in (base / c for c in candidates) if os.path.lexists(p)),
            base / candidates[0],
        )
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError, ValueError):  # ValueError: a NUL or a lone surrogate
            raise MediaError(f"cannot read {what}: no such file") from None
        if not real.is_relative_to(root):
            raise MediaError(f"{what} is outside {root}: images are read only inside it")
        return self._read(real, what)

    def download(self, url: str) -> Media:
        """A remote image, fetched under the policy."""
        import httpx  # here, not at the top: the command line imports this module for --help

        from .transport import ACCEPT_ENCODING, Body, Send, lower_error, transport, within

        self.check_url(url)
        what = shown(url)
        deadline = time.monotonic() + self.timeout
        client = httpx.Client(
            transport=transport(self.check_address),
            trust_env=False,  # a proxy would connect on our behalf, past the address check
            follow_redirects=True,
            max_redirects=self.max_redirects,
            timeout=self.timeout,
        )
        try:
            request = client.build_request(
                "GET", url, headers={"Accept": "image/*", "Accept-Encoding": ACCEPT_ENCODING}
            )
        except httpx.InvalidURL as error:
            client.close()
            raise MediaError(f"{what} is not a URL: {error}") from None
        try:
            with client, within(deadline):
                response = client.send(request, stream=True)
                try:
                    if response.status_code != 200:
                        raise MediaError(f"{what}: HTTP {response.status_code}")
                    self.check_served(response.headers.get("content-type", ""), what)
                    data = Body(self.max_bytes, response.headers).read_all(
                        response.iter_raw(), deadline
                    )
                finally:
                    response.close()
        except MediaError:
            raise
        except AnswerTooLargeError:
            raise MediaError(f"{what} is over the cap of {self.max_bytes} bytes") from None
        except Exception as error:
            failure = lower_error(error, Send(request, deadline, self.max_bytes, self.timeout), str)
            if failure is None:
                raise
            raise MediaError(f"cannot download {what}: {failure.msg}") from None
        return self.checked(data, Path(urlsplit(str(response.url)).path).name, what)
