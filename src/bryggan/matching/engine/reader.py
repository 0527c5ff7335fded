"""Reading an instance from its JSON text without a Python object for every entry.

A national instance is a 25 MB file with two million id strings. Parsed by ``json`` into
Python objects it holds 250 MB, and looking its ids up one by one took most of the command
line's time. The usual file is regular, so it is read here as bytes:

1. one regular expression (possessive, so it never backtracks far) checks that the whole text
   is the usual shape — students and units with plain ids, whole-number capacities, rankings
   without ties, supervisors and pairs as flat lists — and finds each member's span;
2. the quotes of the students' and units' spans delimit their strings (there are no escapes);
   the byte after a string tells a key (``:``), the byte before it an id (``:``), the rest are
   the wishes and rankings, and each object starts with the key after its ``{``;
3. every id becomes a 64-bit key made from its bytes (its bytes themselves when they fit in
   eight, otherwise a hash whose every match is then compared byte by byte), and the
   references are looked up in an open-addressing table of those keys, all with NumPy.

Anything else — an escape sequence, a tie, a number that is not a plain whole number, a key
the usual shape does not have, an unknown or duplicate id, any error at all — is left to the
general parser (``json`` and ``Instance.from_dict``), which builds the same instance or names
the fault. The fast reader never decides that an instance is wrong, so both give the same
instance or the same message (the property tests compare them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from itertools import permutations
from typing import Any

import numpy as np

from bryggan.matching.engine.model import INDEX, Instance, InstanceError, assemble, ranges

# The buffer must have this many spare bytes: eight bytes are read at the start of a string.
PADDING = 8

_WS = rb"[ \t\n\r]*+"
_NUMBER = rb"(?:0|[1-9][0-9]*+)"


def _list(item: bytes) -> bytes:
    return rb"\[" + _WS + rb"(?:" + item + _WS + rb"(?:," + _WS + item + _WS + rb")*+)?\]"


def _key(name: bytes) -> bytes:
    return b'"' + name + b'"' + _WS + b":" + _WS


def _object(*orders: Sequence[bytes]) -> bytes:
    members = b"|".join((_WS + b"," + _WS).join(order) for order in orders)
    return rb"\{" + _WS + rb"(?:" + members + rb")" + _WS + rb"\}"


def _shape(string: bytes) -> re.Pattern:
    """The usual instance, its strings matched by ``string``: members in any order, each
    followed by a comma and another key or by the closing brace."""
    ident = _key(b"id") + string
    wishes = _key(b"preferences") + _list(string)
    student = _object([ident, wishes], [wishes, ident], [ident])
    unit_members = [ident, _key(b"capacity") + _NUMBER, _key(b"ranking") + _list(string)]
    unit = _object(*permutations(unit_members), *permutations(unit_members[:2]))
    supervisor = _object(
        *permutations([ident, _key(b"unit") + string, _key(b"capacity") + _NUMBER])
    )
    pair = rb"\[[^{}\[\]]*+\]"  # json reads the pairs
    member = b"|".join(
        _key(name) + b"(?P<" + name + b">" + _list(item) + b")"
        for name, item in (
            (b"students", student),
            (b"units", unit),
            (b"supervisors", supervisor),
            (b"pinned", pair),
            (b"forbidden", pair),
        )
    )
    return re.compile(
        _WS
        + rb"\{"
        + _WS
        + rb"(?:(?:"
        + member
        + rb")"
        + _WS
        + rb"(?:,"
        + _WS
        + rb'(?=")|(?=\}))'
        + rb")++\}"
        + _WS
    )


_USUAL = _shape(rb'"[^"\\\x00-\x1f]*+"')  # a JSON string without escapes
# The same for a text known to hold no backslash and no byte below 0x20 (the usual file):
# a string is then anything up to the next quote, which the regular expression engine
# finds three times faster than it checks every byte against a class.
_PLAIN = _shape(rb'"[^"]*+"')
_SPACE = np.zeros(256, dtype=bool)
_SPACE[list(b" \t\n\r")] = True
_MAX_SPACES = 64  # between two tokens; more goes to the general parser


def instance_from_json(text: bytes) -> Instance:
    """The instance in a JSON text (UTF-8); InstanceError names what is wrong."""
    buffer = bytearray(len(text) + PADDING)
    buffer[: len(text)] = text
    parts = parse(buffer, len(text))
    if parts is not None:
        del buffer
        return parts.instance()
    try:
        data = json.loads(text.decode("utf-8"))
    except UnicodeDecodeError:
        raise InstanceError("the instance is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise InstanceError(f"the instance is not JSON: {error}") from None
    return Instance.from_dict(data)


def parse(buffer: bytearray, size: int) -> Parts | None:
    """The parts of the instance in ``buffer[:size]`` (followed by at least PADDING spare
    bytes) when it has the usual shape and all its ids are sound; None sends it to the
    general parser. The parts hold nothing of the buffer, so it can be freed before they are
    assembled (which checks the rest exactly as the general parser does, in the same order,
    so an InstanceError from ``Parts.instance`` is the general parser's too)."""
    if len(buffer) < size + PADDING:
        return None
    if not buffer.isascii():  # the padding is zeros, ASCII
        try:
            str(memoryview(buffer)[:size], "utf-8")
        except UnicodeDecodeError:
            return None
    match = _match(buffer, size)
    if match is None or match.group("students") is None or match.group("units") is None:
        return None
    try:
        return _Reader(buffer, size).parts(match)
    except (_NotUsual, ValueError):  # the JSON of a small member
        return None


class Parts:
    """What the fast reader found, ready to be assembled into an Instance."""

    def __init__(self, rest: dict, supervisors: tuple | None, **arrays: Any) -> None:
        self.rest, self.supervisors, self.arrays = rest, supervisors, arrays

    def instance(self) -> Instance:
        return assemble(self.rest, **self.arrays, has_ties=False, supervisors=self.supervisors)


def _match(buffer: bytearray, size: int) -> re.Match | None:
    end = size
    while end and buffer[end - 1] in b" \t\n\r":  # JSON allows white space at the end
        end -= 1
    bytes_ = np.frombuffer(buffer, dtype=np.uint8, count=end)
    plain = buffer.find(b"\\", 0, end) < 0 and not any(
        (bytes_[at : at + _CHUNK] < 0x20).any() for at in range(0, end, _CHUNK)
    )
    return (_PLAIN if plain else _USUAL).fullmatch(buffer, 0, end)


class _NotUsual(Exception):
    pass


def _usual(condition: Any) -> None:
    if not condition:
        raise _NotUsual


class _Reader:
    def __init__(self, buffer: bytearray, size: int) -> None:
        self.buffer = buffer
        self.bytes = np.frombuffer(buffer, dtype=np.uint8, count=size)
        # words[i] = the eight bytes from position i (little-endian), unaligned
        self.words = np.ndarray(
            shape=(size + 1,), dtype="<u8", buffer=buffer, offset=0, strides=(1,)
        )
        self.position = np.int32 if size < 2**31 - PADDING else np.int64

    def parts(self, match: re.Match) -> Parts:
        students = _Strings(self, *match.span("students"))
        units = _Strings(self, *match.span("units"))
        student_keys = _Table(self, *students.values(_ID_KEY))
        unit_keys = _Table(self, *units.values(_ID_KEY))
        pref_start, pref_unit = students.entries(unit_keys)
        rank_start, rank_student = units.entries(student_keys)
        rest: dict[str, Any] = {
            name: json.loads(match.group(name))
            for name in ("pinned", "forbidden")
            if match.group(name) is not None
        }
        supervisors = None
        if match.group("supervisors") is not None:
            strings = _Strings(self, *match.span("supervisors"))
            supervisors = (
                _Table(self, *strings.values(_ID_KEY)).texts(),
                unit_keys.find(*strings.values(_UNIT_KEY)).tolist(),
                strings.numbers(_CAPACITY_KEY).tolist(),
            )
        return Parts(
            rest,
            supervisors,
            student_ids=student_keys.texts(),
            unit_ids=unit_keys.texts(),
            pref_start=pref_start,
            pref_unit=pref_unit,
            capacity=units.numbers(_CAPACITY_KEY).tolist(),
            rank_start=rank_start,
            rank_student=rank_student,
        )

    def quotes(self, start: int, end: int) -> np.ndarray:
        """The positions of the quotes between start and end, a chunk at a time."""
        found = np.empty(self.buffer.count(b'"', start, end), dtype=self.position)
        n = 0
        for at in range(start, end, _CHUNK):
            chunk = np.flatnonzero(self.bytes[at : min(at + _CHUNK, end)] == 34)
            chunk += at
            found[n : n + len(chunk)] = chunk
            n += len(chunk)
        return found

    def next_token(self, at: np.ndarray, step: int) -> np.ndarray:
        """The first byte that is not white space from each position on, in a direction."""
        found = self.bytes[at]
        spaces = np.flatnonzero(_SPACE[found])
        for _ in range(_MAX_SPACES):
            if not len(spaces):
                return found
            at[spaces] += step
            found[spaces] = self.bytes[at[spaces]]
            spaces = spaces[_SPACE[found[spaces]]]
        raise _NotUsual


_CHUNK = 1 << 20  # bytes searched for quotes at a time
_BATCH = 1 << 16  # strings handled at a time: the memory stays small
_KEY, _VALUE, _FIRST = 1, 2, 4
_ID_KEY, _UNIT_KEY, _CAPACITY_KEY = 2, 4, 8  # known by their length in the usual shape


class _Strings:
    """The strings of one member (students, units or supervisors), in order, each a key, a
    value (after a key) or an entry of a list; the regular expression checked the shape."""

    def __init__(self, reader: _Reader, start: int, end: int) -> None:
        self.reader = reader
        quotes = reader.quotes(start, end)  # in place: where each string starts, its length
        self.opening, self.lengths = quotes[0::2], quotes[1::2]
        self.opening += 1
        self.lengths -= self.opening
        # A key is followed by a colon; a value follows the key "id" or "unit" (the only keys
        # with a text value); an object's first key follows its brace; the rest are entries.
        self.kind = np.empty(len(self.opening), dtype=np.uint8)
        for a in range(0, len(self.kind), _BATCH):
            after = self.opening[a : a + _BATCH] + self.lengths[a : a + _BATCH] + 1
            np.equal(reader.next_token(after, 1), ord(":"), out=self.kind[a : a + _BATCH])
        key = np.flatnonzero(self.kind)
        first = reader.next_token(self.opening[key] - 2, -1) == ord("{")
        self.kind[key[first]] |= _FIRST
        value = key[(self.lengths[key] == _ID_KEY) | (self.lengths[key] == _UNIT_KEY)] + 1
        _usual(not len(value) or value[-1] < len(self.kind))
        self.kind[value] |= _VALUE
        self.objects = int(np.count_nonzero(self.kind & _FIRST))

    def values(self, key_length: int) -> tuple[np.ndarray, np.ndarray]:
        """Where each object's value of the key of that length starts, and its length (one
        per object, in order: the regular expression allows no other)."""
        value = np.flatnonzero(self.kind & _VALUE)
        value = value[self.lengths[value - 1] == key_length]
        _usual(len(value) == self.objects)
        return self.opening[value], self.lengths[value]

    def numbers(self, key_length: int) -> np.ndarray:
        """Each object's whole number after the key of that length (plain digits)."""
        key = np.flatnonzero(self.kind & _KEY)
        key = key[self.lengths[key] == key_length]
        _usual(len(key) == self.objects)
        at = self.opening[key].astype(INDEX) + self.lengths[key] + 1
        self.reader.next_token(at, 1)  # moves to the colon
        at += 1
        self.reader.next_token(at, 1)  # and on to the first digit
        value = np.zeros(len(at), dtype=INDEX)
        going = np.ones(len(at), dtype=bool)
        for _ in range(18):
            digit = self.reader.bytes[at].astype(INDEX) - ord("0")
            going &= (digit >= 0) & (digit <= 9)
            if not going.any():
                return value
            value[going] = value[going] * 10 + digit[going]
            at += 1
        raise _NotUsual  # a number of more than 18 digits: the general parser reads it

    def entries(self, table: _Table) -> tuple[np.ndarray, np.ndarray]:
        """Each object's list entries looked up in the table: row starts and the indices."""
        entry = (self.kind & (_KEY | _VALUE)) == 0
        before = np.zeros(len(entry) + 1, dtype=INDEX)
        np.cumsum(entry, out=before[1:])
        start = np.empty(self.objects + 1, dtype=INDEX)
        start[:-1] = before[np.flatnonzero(self.kind & _FIRST)]
        start[-1] = before[-1]
        del before
        found = np.empty(int(start[-1]), dtype=INDEX)
        n = 0
        for a in range(0, len(entry), _BATCH):
            strings = np.flatnonzero(entry[a : a + _BATCH]) + a
            found[n : n + len(strings)] = table.find(self.opening[strings], self.lengths[strings])
            n += len(strings)
        return start, found


_MASK = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=np.uint64)


def _word(words: np.ndarray, starts: np.ndarray, lengths: np.ndarray, k: int) -> np.ndarray:
    """The k-th eight bytes of each string, zero past its end (a short string near the end
    of the text has no k-th word to read: any in the buffer will do, it is masked away)."""
    rest = np.clip(lengths - 8 * k, 0, 8)
    at = starts + 8 * k
    if k:
        np.minimum(at, len(words) - 1, out=at)
    return words[at] & _MASK[rest]


_MIX = np.uint64(0x9E3779B97F4A7C15)


def _keys(words: np.ndarray, starts: np.ndarray, lengths: np.ndarray, n_words: int) -> np.ndarray:
    """A 64-bit key per string: its bytes when every string fits in eight (``n_words`` 1,
    exact), else a hash of its ``n_words`` words and length."""
    key = _word(words, starts, lengths, 0)
    for k in range(1, n_words):
        key = (key * _MIX) ^ _word(words, starts, lengths, k)
    if n_words > 1:
        key ^= lengths.astype(np.uint64)
    return key


class _Table:
    """Strings by a 64-bit key each, in an open-addressing hash table built and searched on
    whole arrays: every round places (or finds) what it can and moves the rest one slot on.
    Not usual when a string is given twice or is empty (the general parser names that)."""

    def __init__(self, reader: _Reader, starts: np.ndarray, lengths: np.ndarray) -> None:
        _usual(not len(lengths) or lengths.min() > 0)
        self.reader, self.starts, self.lengths = reader, starts, lengths
        keys = _keys(reader.words, starts, lengths, _words(lengths))
        self.keys = keys
        self.bits = max(4, (4 * len(keys)).bit_length())  # at most a quarter full
        self.slots = np.full(1 << self.bits, -1, dtype=INDEX)
        slot = self._home(keys)
        pending = np.arange(len(keys), dtype=INDEX)
        while len(pending):
            at = slot[pending]
            held = self.slots[at]
            taken = held >= 0
            # the same key twice: the same id twice, or (rarely) a hash shared by two
            _usual(not (keys[held[taken]] == keys[pending[taken]]).any())
            slot[pending[taken]] = (at[taken] + 1) & (len(self.slots) - 1)
            free = pending[~taken]
            self.slots[slot[free]] = free  # of two in one slot, one lands; the other retries
            pending = np.concatenate((pending[taken], free[self.slots[slot[free]] != free]))

    def _home(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * _MIX) >> np.uint64(64 - self.bits)).astype(INDEX)

    def texts(self) -> list[str]:
        """The strings as Python text (each gathered with its closing quote, then split)."""
        if not len(self.starts):
            return []
        gathered = self.reader.bytes[ranges(self.starts, self.lengths + 1)].tobytes()
        return gathered.decode("utf-8").split('"')[:-1]

    def find(self, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """The index of each string; not usual when one is missing."""
        n_words = _words(self.lengths)
        _usual(not len(lengths) or _words(lengths) <= n_words)  # longer than any: unknown
        keys = _keys(self.reader.words, starts, lengths, n_words)
        slot = self._home(keys)
        found = self.slots[slot]
        _usual((found >= 0).all())
        pending = np.flatnonzero(self.keys[found] != keys)
        while len(pending):  # the few that met another key in their first slot
            slot[pending] = (slot[pending] + 1) & (len(self.slots) - 1)
            held = self.slots[slot[pending]]
            _usual((held >= 0).all())
            found[pending] = held
            pending = pending[self.keys[held] != keys[pending]]
        if n_words > 1:  # a hash: compare the bytes themselves
            _usual((lengths == self.lengths[found]).all())
            theirs = self.starts[found]
            for k in range(n_words):
                _usual(
                    (
                        _word(self.reader.words, starts, lengths, k)
                        == _word(self.reader.words, theirs, lengths, k)
                    ).all()
                )
        return found


def _words(lengths: np.ndarray) -> int:
    return max(1, (int(lengths.max(initial=0)) + 7) // 8)
