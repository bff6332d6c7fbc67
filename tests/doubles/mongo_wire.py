"""MongoDB's OP_MSG framing, the only wire format PyMongo 4.20 speaks (it dropped OP_QUERY).

A message is a 16-byte header (length, requestID, responseTo, opCode) followed by flag bits
and sections: kind 0 carries the command document, kind 1 a named sequence of documents
(PyMongo sends `insert`'s documents and `update`'s statements that way). Only the parts of
the format the stand-in needs are here: no compression, no checksum, no exhaust cursors.
"""

from __future__ import annotations

import asyncio
import itertools
import struct
from typing import Any

import bson
from bson.codec_options import CodecOptions

OP_MSG = 2013
HEADER = struct.Struct("<iiii")
CHECKSUM_PRESENT = 1
MORE_TO_COME = 2
#: The command document decodes to plain dicts (mongomock takes nothing else), keys in order.
CODEC = CodecOptions(document_class=dict)
_request_ids = itertools.count(1)


class WireError(Exception):
    """A message the stand-in cannot read: the connection is closed, as MongoDB would."""


def parse_op_msg(body: bytes) -> tuple[int, dict[str, Any]]:
    """Flag bits and the command of one OP_MSG body (after the header), sequences folded in."""
    (flags,) = struct.unpack_from("<I", body, 0)
    if flags & ~(CHECKSUM_PRESENT | MORE_TO_COME):
        raise WireError(f"unsupported OP_MSG flags {flags:#x}")
    end = len(body) - (4 if flags & CHECKSUM_PRESENT else 0)
    position = 4
    command: dict[str, Any] | None = None
    sequences: dict[str, list[dict[str, Any]]] = {}
    while position < end:
        kind = body[position]
        position += 1
        if kind == 0:
            (size,) = struct.unpack_from("<i", body, position)
            command = bson.decode(body[position : position + size], CODEC)
            position += size
        elif kind == 1:
            (size,) = struct.unpack_from("<i", body, position)
            section_end = position + size
            name_end = body.index(b"\x00", position + 4)
            identifier = body[position + 4 : name_end].decode()
            sequences[identifier] = bson.decode_all(body[name_end + 1 : section_end], CODEC)
            position = section_end
        else:
            raise WireError(f"unknown OP_MSG section kind {kind}")
    if command is None:
        raise WireError("OP_MSG without a command section")
    command.update(sequences)
    return flags, command


def encode_op_msg(reply: dict[str, Any], response_to: int) -> bytes:
    """One OP_MSG carrying `reply` as its only section."""
    payload = struct.pack("<IB", 0, 0) + bson.encode(reply)
    return HEADER.pack(HEADER.size + len(payload), next(_request_ids), response_to, OP_MSG) + payload


async def read_message(reader: asyncio.StreamReader) -> tuple[int, int, bytes]:
    """(requestID, opCode, body) of the next message; IncompleteReadError when the peer hangs up."""
    length, request_id, _response_to, op_code = HEADER.unpack(await reader.readexactly(HEADER.size))
    if not HEADER.size < length <= 48_000_000:
        raise WireError(f"bad message length {length}")
    return request_id, op_code, await reader.readexactly(length - HEADER.size)
