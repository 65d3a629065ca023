"""A raw TCP server for the network-deadline tests: one that accepts and never answers, or one that
sends its answer a byte at a time. It counts the connections it took."""
from __future__ import annotations

import socket
import threading
import time


class RawServer:
    def __init__(self, mode: str = "silent", body: bytes = b"{}", gap: float = 0.05) -> None:
        self.mode, self.body, self.gap = mode, body, gap
        self.connections = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.1)
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            self.connections += 1
            self._held.append(conn)  # silent: held open, never answered
            if self.mode == "dribble":
                threading.Thread(target=self._dribble, args=(conn,), daemon=True).start()

    def _dribble(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n" % len(self.body))
            for byte in self.body:
                if self._stop.is_set():
                    return
                conn.sendall(bytes([byte]))
                time.sleep(self.gap)
        except OSError:
            pass

    def stop(self) -> None:
        self._stop.set()
        for conn in self._held:
            try:
                conn.close()
            except OSError:
                pass
        self._sock.close()
        self._thread.join(timeout=5)
