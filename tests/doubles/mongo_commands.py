"""The database commands the stand-in answers, executed on mongomock's in-memory engine.

Only the commands the MongoDB store (server/store/mongo/) and PyMongo's connection
handshake send are here; anything else answers CommandNotFound, so a store change that
needs a new command fails loudly in CI instead of being half-emulated. Query and update
semantics (filters, `$inc`, `$min`, upserts, unique indexes) are mongomock's.

Retryable writes are honoured as a replica-set primary does: a write carrying the same
(session, txnNumber) as one already executed answers the recorded reply instead of running
again, which is what keeps a retried `$inc` from counting twice.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import mongomock
from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

WIRE_VERSION = 21  # MongoDB 7.0
RETRY_MEMORY = 50_000  # executed retryable writes remembered (MongoDB keeps them ~30 min)
WRITE_COMMANDS = ("insert", "update", "delete", "findAndModify")


def failure(code: int, name: str, message: str) -> dict[str, Any]:
    return {"ok": 0.0, "code": code, "codeName": name, "errmsg": message}


class CommandEngine:
    """One in-memory deployment: databases, open cursors and the retryable-write record."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.client = mongomock.MongoClient()
        self.election_id = ObjectId()
        self._cursors: dict[int, tuple[str, list[dict[str, Any]]]] = {}
        self._cursor_ids = itertools.count(1)
        self._connection_ids = itertools.count(1)
        self._retried: OrderedDict[tuple[bytes, int], dict[str, Any]] = OrderedDict()
        self.retryable_writes_seen = 0
        self.handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "hello": self._hello,
            "ismaster": self._hello,
            "ping": lambda _: {"ok": 1.0},
            "buildinfo": lambda _: {"version": "7.0.0-standin", "versionArray": [7, 0, 0, 0], "ok": 1.0},
            "endsessions": lambda _: {"ok": 1.0},
            "insert": self._insert,
            "update": self._update,
            "delete": self._delete,
            "find": self._find,
            "getmore": self._get_more,
            "killcursors": self._kill_cursors,
            "aggregate": self._aggregate,
            "count": self._count,
            "findandmodify": self._find_and_modify,
            "createindexes": self._create_indexes,
            "listindexes": self._list_indexes,
            "dropdatabase": self._drop_database,
        }

    def new_connection_id(self) -> int:
        return next(self._connection_ids)

    def execute(self, command: dict[str, Any], connection_id: int) -> dict[str, Any]:
        name = next(iter(command))
        handler = self.handlers.get(name.lower())
        if handler is None:
            return failure(59, "CommandNotFound", f"no such command: '{name}' (the stand-in answers only what the store uses)")
        if "startTransaction" in command or "autocommit" in command:
            return failure(20, "IllegalOperation", "transactions are not emulated by the stand-in")
        retry_key = self._retry_key(command) if name in WRITE_COMMANDS else None
        if retry_key is not None:
            self.retryable_writes_seen += 1
            if retry_key in self._retried:
                return self._retried[retry_key]
        command["$connectionId"] = connection_id
        try:
            reply = handler(command)
        except DuplicateKeyError as error:
            reply = failure(11000, "DuplicateKey", f"E11000 duplicate key error: {error}")
        except OperationFailure as error:
            reply = failure(error.code or 2, "BadValue", str(error))
        except Exception as error:  # noqa: BLE001 - mongomock's limits answer as an error, not a dropped connection
            reply = failure(1, "InternalError", f"stand-in could not run {name}: {type(error).__name__}: {error}")
        if retry_key is not None:
            self._retried[retry_key] = reply
            while len(self._retried) > RETRY_MEMORY:
                self._retried.popitem(last=False)
        return reply

    @staticmethod
    def _retry_key(command: dict[str, Any]) -> tuple[bytes, int] | None:
        session, txn = command.get("lsid"), command.get("txnNumber")
        if session is None or txn is None:
            return None
        return bytes(session["id"]), int(txn)

    def _collection(self, command: dict[str, Any], name_key: str) -> Any:
        return self.client[command["$db"]][command[name_key]]

    # --- handshake ---------------------------------------------------------------------

    def _hello(self, command: dict[str, Any]) -> dict[str, Any]:
        # A one-member replica set: PyMongo then sends sessions and txnNumbers (retryable
        # writes) exactly as it does to a production replica set.
        return {
            "helloOk": True,
            "isWritablePrimary": True,
            "ismaster": True,
            "secondary": False,
            "setName": "standin",
            "setVersion": 1,
            "electionId": self.election_id,
            "hosts": [self.address],
            "primary": self.address,
            "me": self.address,
            "maxBsonObjectSize": 16 * 1024 * 1024,
            "maxMessageSizeBytes": 48_000_000,
            "maxWriteBatchSize": 100_000,
            "localTime": datetime.now(UTC),
            "logicalSessionTimeoutMinutes": 30,
            "connectionId": command["$connectionId"],
            "minWireVersion": 0,
            "maxWireVersion": WIRE_VERSION,
            "readOnly": False,
            "ok": 1.0,
        }

    # --- writes ------------------------------------------------------------------------

    def _insert(self, command: dict[str, Any]) -> dict[str, Any]:
        collection = self._collection(command, "insert")
        ordered = command.get("ordered", True)
        inserted, errors = 0, []
        for index, document in enumerate(command.get("documents", [])):
            try:
                collection.insert_one(document)
                inserted += 1
            except DuplicateKeyError as error:
                errors.append({"index": index, "code": 11000, "errmsg": f"E11000 duplicate key error: {error}"})
                if ordered:
                    break
        return {"n": inserted, **({"writeErrors": errors} if errors else {}), "ok": 1.0}

    def _update(self, command: dict[str, Any]) -> dict[str, Any]:
        collection = self._collection(command, "update")
        ordered = command.get("ordered", True)
        matched = modified = 0
        upserted, errors = [], []
        for index, statement in enumerate(command.get("updates", [])):
            query, change = statement.get("q", {}), statement["u"]
            upsert, multi = statement.get("upsert", False), statement.get("multi", False)
            try:
                if isinstance(change, dict) and change and not next(iter(change)).startswith("$"):
                    result = collection.replace_one(query, change, upsert=upsert)
                elif multi:
                    result = collection.update_many(query, change, upsert=upsert)
                else:
                    result = collection.update_one(query, change, upsert=upsert)
            except (DuplicateKeyError, BulkWriteError) as error:
                errors.append({"index": index, "code": 11000, "errmsg": f"E11000 duplicate key error: {error}"})
                if ordered:
                    break
                continue
            except Exception as error:  # noqa: BLE001 - see execute()
                errors.append({"index": index, "code": 1, "errmsg": f"stand-in: {type(error).__name__}: {error}: {statement}"})
                if ordered:
                    break
                continue
            if result.upserted_id is not None:
                upserted.append({"index": index, "_id": result.upserted_id})
            else:
                matched += result.matched_count
                modified += result.modified_count
        reply: dict[str, Any] = {"n": matched + len(upserted), "nModified": modified, "ok": 1.0}
        if upserted:
            reply["upserted"] = upserted
        if errors:
            reply["writeErrors"] = errors
        return reply

    def _delete(self, command: dict[str, Any]) -> dict[str, Any]:
        collection = self._collection(command, "delete")
        deleted = 0
        for statement in command.get("deletes", []):
            if statement.get("limit", 0) == 1:
                deleted += collection.delete_one(statement.get("q", {})).deleted_count
            else:
                deleted += collection.delete_many(statement.get("q", {})).deleted_count
        return {"n": deleted, "ok": 1.0}

    def _find_and_modify(self, command: dict[str, Any]) -> dict[str, Any]:
        collection = self._collection(command, "findAndModify")
        query, sort, fields = command.get("query", {}), command.get("sort"), command.get("fields")
        sort_list = list(sort.items()) if sort else None
        if command.get("remove"):
            value = collection.find_one_and_delete(query, projection=fields, sort=sort_list)
            return {"lastErrorObject": {"n": int(value is not None)}, "value": value, "ok": 1.0}
        existed = collection.find_one(query, projection={"_id": 1}, sort=sort_list)
        value = collection.find_one_and_update(
            query, command["update"], projection=fields, sort=sort_list, upsert=command.get("upsert", False),
            return_document=ReturnDocument.AFTER if command.get("new") else ReturnDocument.BEFORE,
        )
        last_error: dict[str, Any] = {"n": int(existed is not None or command.get("upsert", False)),
                                      "updatedExisting": existed is not None}
        if existed is None and command.get("upsert"):
            upserted = collection.find_one(query, projection={"_id": 1}, sort=sort_list)
            last_error["upserted"] = upserted["_id"] if upserted else None
        return {"lastErrorObject": last_error, "value": value, "ok": 1.0}

    # --- reads -------------------------------------------------------------------------

    def _batch(self, namespace: str, documents: list[dict[str, Any]], size: int | None, first: bool) -> dict[str, Any]:
        size = 101 if size is None and first else size
        head, rest = (documents, []) if not size else (documents[:size], documents[size:])
        cursor_id = 0
        if rest:
            cursor_id = next(self._cursor_ids)
            self._cursors[cursor_id] = (namespace, rest)
        key = "firstBatch" if first else "nextBatch"
        return {"cursor": {"id": cursor_id, "ns": namespace, key: head}, "ok": 1.0}

    def _find(self, command: dict[str, Any]) -> dict[str, Any]:
        collection = self._collection(command, "find")
        cursor = collection.find(command.get("filter", {}), projection=command.get("projection"))
        if command.get("sort"):
            cursor = cursor.sort(list(command["sort"].items()))
        if command.get("skip"):
            cursor = cursor.skip(command["skip"])
        if command.get("limit"):
            cursor = cursor.limit(abs(command["limit"]))
        documents = list(cursor)
        batch_size = command.get("batchSize")
        if command.get("singleBatch"):
            documents, batch_size = documents[: batch_size or len(documents)], None
        return self._batch(f"{command['$db']}.{command['find']}", documents, batch_size, first=True)

    def _aggregate(self, command: dict[str, Any]) -> dict[str, Any]:
        collection = self._collection(command, "aggregate")
        documents = list(collection.aggregate(command["pipeline"]))
        batch_size = command.get("cursor", {}).get("batchSize")
        return self._batch(f"{command['$db']}.{command['aggregate']}", documents, batch_size, first=True)

    def _get_more(self, command: dict[str, Any]) -> dict[str, Any]:
        cursor_id = command["getMore"]
        if cursor_id not in self._cursors:
            return failure(43, "CursorNotFound", f"cursor id {cursor_id} not found")
        namespace, documents = self._cursors.pop(cursor_id)
        reply = self._batch(namespace, documents, command.get("batchSize"), first=False)
        if reply["cursor"]["id"]:
            # Keep the client's cursor id: PyMongo asks for the next batch by the same id.
            self._cursors[cursor_id] = self._cursors.pop(reply["cursor"]["id"])
            reply["cursor"]["id"] = cursor_id
        return reply

    def _kill_cursors(self, command: dict[str, Any]) -> dict[str, Any]:
        killed = [cursor_id for cursor_id in command.get("cursors", []) if self._cursors.pop(cursor_id, None)]
        return {"cursorsKilled": killed, "cursorsNotFound": [], "cursorsAlive": [], "cursorsUnknown": [], "ok": 1.0}

    def _count(self, command: dict[str, Any]) -> dict[str, Any]:
        return {"n": self._collection(command, "count").count_documents(command.get("query") or {}), "ok": 1.0}

    # --- schema ------------------------------------------------------------------------

    def _create_indexes(self, command: dict[str, Any]) -> dict[str, Any]:
        collection = self._collection(command, "createIndexes")
        before = len(collection.index_information()) or 1
        for index in command["indexes"]:
            options = {k: v for k, v in index.items() if k in {"unique", "sparse", "partialFilterExpression"}}
            collection.create_index(list(index["key"].items()), name=index["name"], **options)
        return {"numIndexesBefore": before, "numIndexesAfter": len(collection.index_information()), "ok": 1.0}

    def _list_indexes(self, command: dict[str, Any]) -> dict[str, Any]:
        collection = self._collection(command, "listIndexes")
        documents = list(collection.list_indexes())
        return self._batch(f"{command['$db']}.{command['listIndexes']}", documents, None, first=True)

    def _drop_database(self, command: dict[str, Any]) -> dict[str, Any]:
        self.client.drop_database(command["$db"])
        return {"dropped": command["$db"], "ok": 1.0}
