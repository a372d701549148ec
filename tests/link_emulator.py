"""A user-space model of a weak link (issue 22): a TCP proxy on loopback whose two directions
are each one wire of ``bandwidth`` bytes a second, shared by every connection through it,
with ``rtt`` of propagation delay and segment loss.

Unlike ``fault_proxy`` (which sleeps latency + size / bandwidth per chunk, one chunk after
the other, so latency eats bandwidth), the wire here is pipelined as a real link is: a segment
leaves when the wire is free and arrives half an RTT later, while the next one is already on
the wire. The model follows the PouchDB comparison (shared/reference/sync-design.md §4):

- segments of 1448 bytes of payload plus 52 bytes of TCP/IP headers on the wire;
- a new connection costs one RTT (the handshake) before its first byte goes up;
- a lost segment (chance ``loss`` each) costs its wire time twice (the retransmission) and
  arrives one RTT late; the connection's later bytes wait behind it (in-order delivery),
  the wire itself keeps going (fast retransmit, no congestion-window collapse, so it
  flatters a real lossy link);
- each connection keeps at most ``window`` bytes in flight (a receive window), so one
  connection cannot claim the wire for long ahead of another.

Bytes are counted twice: HTTP bytes (what the ends sent, as ``fault_proxy`` counts them)
and wire bytes (with the headers and the retransmissions).
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

SEGMENT = 1448
HEADERS = 52


@dataclass
class LinkCounters:
    up: int = 0              # HTTP bytes, client → server
    down: int = 0            # HTTP bytes, server → client
    wire_up: int = 0
    wire_down: int = 0
    connections: int = 0
    lost: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.up = self.down = self.wire_up = self.wire_down = 0
            self.connections = self.lost = 0


class _Wire:
    """One direction of the link: when it is free again."""

    def __init__(self) -> None:
        self.free_at = 0.0
        self.lock = threading.Lock()


class _Pipe:
    """One direction of one connection: segments scheduled on the wire, handed to ``dst`` in
    order at their arrival time by a thread of its own."""

    def __init__(self, link: LinkProxy, dst: socket.socket, up: bool,
                 not_before: float) -> None:
        self.link, self.dst, self.up = link, dst, up
        self.queue: deque[tuple[float, bytes | None]] = deque()
        self.cond = threading.Condition()
        self.in_flight = 0
        self.not_before = not_before     # the handshake: nothing leaves before it is done
        self.last_arrival = 0.0
        self.closed = False
        threading.Thread(target=self._deliver, daemon=True).start()

    def put(self, data: bytes) -> None:
        link = self.link
        wire = link.wires[self.up]
        for i in range(0, len(data), SEGMENT):
            segment = data[i:i + SEGMENT]
            with self.cond:
                while self.in_flight >= link.window and not self.closed:
                    self.cond.wait(0.5)
                if self.closed:
                    return
            on_wire = (len(segment) + HEADERS) / link.bandwidth
            lost = link.loss > 0 and link.random.random() < link.loss
            with wire.lock:
                leaves = max(time.monotonic(), wire.free_at, self.not_before) + on_wire * (
                    2 if lost else 1)
                wire.free_at = leaves
            arrives = max(leaves + link.rtt / 2 + (link.rtt if lost else 0.0),
                          self.last_arrival)
            with link.counters.lock:
                c = link.counters
                wire_bytes = (len(segment) + HEADERS) * (2 if lost else 1)
                if self.up:
                    c.up += len(segment)
                    c.wire_up += wire_bytes
                else:
                    c.down += len(segment)
                    c.wire_down += wire_bytes
                c.lost += lost
            with self.cond:
                self.last_arrival = arrives
                self.in_flight += len(segment)
                self.queue.append((arrives, segment))
                self.cond.notify_all()

    def close(self) -> None:
        with self.cond:
            self.queue.append((0.0, None))   # after what is queued
            self.cond.notify_all()

    def _deliver(self) -> None:
        try:
            while True:
                with self.cond:
                    while not self.queue:
                        self.cond.wait()
                    arrives, segment = self.queue[0]
                if segment is None:
                    break
                wait = arrives - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                self.dst.sendall(segment)
                with self.cond:
                    self.queue.popleft()
                    self.in_flight -= len(segment)
                    self.cond.notify_all()
        except OSError:
            pass
        finally:
            with self.cond:
                self.closed = True
                self.cond.notify_all()
            with contextlib.suppress(OSError):
                self.dst.shutdown(socket.SHUT_WR)


class LinkProxy:
    def __init__(self, target_port: int, *, rtt: float = 0.3, bandwidth: float = 32_000,
                 loss: float = 0.0, window: int = 65_535, seed: int = 0) -> None:
        self.target = ("127.0.0.1", target_port)
        self.rtt, self.bandwidth, self.loss, self.window = rtt, bandwidth, loss, window
        self.random = random.Random(seed)
        self.counters = LinkCounters()
        self.wires = {True: _Wire(), False: _Wire()}
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._closing = False
        self._sockets: set[socket.socket] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            handshake = time.monotonic() + self.rtt   # SYN up, SYN-ACK down: then data
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.counters.lock:
                self.counters.connections += 1
            self._sockets.update((client, upstream))
            for src, dst, up in ((client, upstream, True), (upstream, client, False)):
                pipe = _Pipe(self, dst, up, handshake if up else 0.0)
                threading.Thread(target=self._pump, args=(src, pipe), daemon=True).start()

    def _pump(self, src: socket.socket, pipe: _Pipe) -> None:
        try:
            while True:
                data = src.recv(16384)
                if not data:
                    break
                pipe.put(data)
        except OSError:
            pass
        finally:
            pipe.close()

    def close(self) -> None:
        self._closing = True
        with contextlib.suppress(OSError):
            self._listener.close()
        for s in list(self._sockets):
            with contextlib.suppress(OSError):
                s.close()


@contextlib.contextmanager
def link_to(port: int, **kwargs: float) -> Iterator[LinkProxy]:
    proxy = LinkProxy(port, **kwargs)  # type: ignore[arg-type]
    try:
        yield proxy
    finally:
        proxy.close()
