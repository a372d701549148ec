"""An in-repo TCP proxy that injects link faults (there is no tc netem on these machines).

Between the desktop and the server it can: cut a connection after a given number of
bytes (either direction), add latency per chunk, cap the bandwidth, drop into a
silent stall (the link stops answering without closing), and count bytes,
connections and requests-worth of traffic for the benchmarks.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Faults:
    cut_after: int | None = None     # bytes (both directions together) before the cut
    latency_s: float = 0.0           # one-way delay added per forwarded chunk
    bandwidth: float | None = None   # bytes per second, each direction
    stall: bool = False              # stop forwarding, keep the sockets open
    loss: float = 0.0                # chance per chunk of a 1 RTT retransmission stall


@dataclass
class Counters:
    up: int = 0
    down: int = 0
    connections: int = 0
    cuts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.up = self.down = self.connections = self.cuts = 0


class FaultProxy:
    def __init__(self, target_port: int, *, seed: int = 0) -> None:
        self.target = ("127.0.0.1", target_port)
        self.faults = Faults()
        self.counters = Counters()
        self.random = random.Random(seed)
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
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.counters.lock:
                self.counters.connections += 1
            state = {"bytes": 0, "dead": False}
            self._sockets.update((client, upstream))
            for src, dst, up in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(target=self._pump, args=(src, dst, up, state),
                                 daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, up: bool,
              state: dict[str, object]) -> None:
        try:
            while True:
                data = src.recv(16384)
                if not data:
                    break
                f = self.faults
                while f.stall and not self._closing:
                    time.sleep(0.05)
                cut = f.cut_after
                if cut is not None:
                    room = cut - int(state["bytes"])  # type: ignore[call-overload]
                    if room <= 0 or state["dead"]:
                        self._kill(src, dst, state)
                        return
                    if len(data) > room:
                        data = data[:room]
                        self._send(dst, data, up, f)
                        self._kill(src, dst, state)
                        return
                self._send(dst, data, up, f)
                state["bytes"] = int(state["bytes"]) + len(data)  # type: ignore[call-overload]
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def _send(self, dst: socket.socket, data: bytes, up: bool, f: Faults) -> None:
        delay = f.latency_s
        if f.bandwidth:
            delay += len(data) / f.bandwidth
        if f.loss and self.random.random() < f.loss:
            delay += 2 * f.latency_s
        if delay:
            time.sleep(delay)
        dst.sendall(data)
        with self.counters.lock:
            if up:
                self.counters.up += len(data)
            else:
                self.counters.down += len(data)

    def _kill(self, src: socket.socket, dst: socket.socket, state: dict[str, object]) -> None:
        state["dead"] = True
        with self.counters.lock:
            self.counters.cuts += 1
        for s in (src, dst):
            # shutdown first: it wakes the other pump blocked in recv() on the same socket
            # (close() alone would leave the peer waiting for its read timeout).
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                s.close()

    def close(self) -> None:
        self._closing = True
        with contextlib.suppress(OSError):
            self._listener.close()
        for s in list(self._sockets):
            with contextlib.suppress(OSError):
                s.close()


@contextlib.contextmanager
def proxy_to(port: int, seed: int = 0) -> Iterator[FaultProxy]:
    p = FaultProxy(port, seed=seed)
    try:
        yield p
    finally:
        p.close()
