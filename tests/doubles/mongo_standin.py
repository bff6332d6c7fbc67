"""A test double for a MongoDB server: speaks the wire protocol on loopback, keeps data in memory.

No MongoDB server can be installed on the CI machines, and in-process fakes (mongomock,
mongomock-motor, pymongo-async-mock) replace the driver, so the code under test would no
longer be the real `AsyncMongoClient`, nor could several service processes share one
database. This stand-in is a real TCP server instead: the store talks to it through the
real driver (handshake, sessions, retryable writes, cursors, write concern), any number of
processes can connect, and a test can take it down, hang it or make the majority
unreachable to see how the service copes. Query and update semantics come from mongomock
(see mongo_commands.py); only the commands the store sends are answered.

It is not MongoDB: one thread executes one command at a time, nothing is written to disk,
there is no replication, and its speed says nothing about MongoDB's.

    with MongoStandIn() as standin:
        client = AsyncMongoClient(standin.url)

`python -m tests.doubles.mongo_standin --port 27017` runs one in the foreground (benchmarks).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import threading
from concurrent.futures import Future
from typing import Any

from .mongo_commands import WRITE_COMMANDS, CommandEngine
from .mongo_wire import MORE_TO_COME, OP_MSG, WireError, encode_op_msg, parse_op_msg, read_message

#: What a replica set answers when a write reached the primary but not a majority in time.
WRITE_CONCERN_TIMEOUT = {
    "code": 64,
    "codeName": "WriteConcernFailed",
    "errmsg": "waiting for replication timed out (stand-in: majority made unreachable)",
    "errInfo": {"wtimeout": True},
}


class MongoStandIn:
    """A loopback MongoDB wire-protocol server on its own thread and event loop."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self.engine: CommandEngine | None = None
        self.commands_seen: dict[str, int] = {}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="mongo-standin", daemon=True)
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.StreamWriter] = set()
        self._answering = asyncio.Event()
        self._answering.set()
        self._majority_reachable = True

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        # Short timeouts so that an outage shows as an error within seconds in tests.
        return f"mongodb://{self.address}/?serverSelectionTimeoutMS=2000&connectTimeoutMS=2000"

    # --- life cycle (called from any thread) -------------------------------------------

    def start(self) -> MongoStandIn:
        self._thread.start()
        self._call(self._listen())
        self.engine = CommandEngine(self.address)
        return self

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        self._call(self._close_everything())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> MongoStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- faults ------------------------------------------------------------------------

    def go_down(self) -> None:
        """Stop listening and drop every connection, as a crashed server would; data is kept."""
        self._call(self._close_everything())

    def come_up(self) -> None:
        """Listen again on the same port (a restarted server with its data)."""
        self._call(self._listen())

    def hang(self) -> None:
        """Keep connections open but answer nothing (a server stuck on I/O or a lost network path)."""
        self._loop.call_soon_threadsafe(self._answering.clear)

    def resume(self) -> None:
        """Answer again; commands received while hung are executed now, in order, as a slow server would."""
        self._loop.call_soon_threadsafe(self._answering.set)

    def lose_majority(self, lost: bool = True) -> None:
        """Writes still apply on the primary, but those waiting for other nodes answer a write concern
        timeout (the secondaries are down); `w: 1` writes succeed."""
        self._majority_reachable = not lost

    # --- internals (on the stand-in's loop) ------------------------------------------

    def _call(self, coroutine: Any) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        return future.result(timeout=10)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close_everything(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._connections):
            writer.transport.abort()
        self._connections.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert self.engine is not None
        self._connections.add(writer)
        connection_id = self.engine.new_connection_id()
        try:
            while True:
                request_id, op_code, body = await read_message(reader)
                if op_code != OP_MSG:
                    raise WireError(f"opcode {op_code} is not OP_MSG")
                flags, command = parse_op_msg(body)
                await self._answering.wait()
                name = next(iter(command))
                self.commands_seen[name] = self.commands_seen.get(name, 0) + 1
                reply = self.engine.execute(command, connection_id)
                if name in WRITE_COMMANDS and reply.get("ok") and not self._majority_reachable and _waits_for_others(command):
                    reply["writeConcernError"] = dict(WRITE_CONCERN_TIMEOUT)
                if flags & MORE_TO_COME:
                    continue
                if writer.is_closing():
                    return
                writer.write(encode_op_msg(reply, request_id))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, WireError):
            pass
        finally:
            self._connections.discard(writer)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


def _waits_for_others(command: dict[str, Any]) -> bool:
    """A write concern a lone primary cannot satisfy: `majority` or more than one node."""
    w = command.get("writeConcern", {}).get("w", 1)
    return w == "majority" or (isinstance(w, int) and w > 1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the MongoDB stand-in (a test double) in the foreground.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=27017)
    args = parser.parse_args(argv)
    standin = MongoStandIn(args.host, args.port).start()
    print(f"MongoDB stand-in (a test double, not MongoDB) listening on {standin.url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        standin.stop()


if __name__ == "__main__":
    main()
