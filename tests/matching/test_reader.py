"""The fast reader of instance files gives exactly what the general parser gives.

`reader.instance_from_json` reads the usual file as bytes into arrays and leaves anything
else to `json` + `Instance.from_dict`. Whatever the text — well formed in any layout, with
escapes, ties, odd ids, or broken in any byte — both must build the same instance or refuse
it with the same message.
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bryggan.matching.engine import Instance, InstanceError, reader
from bryggan.matching.engine.generate import random_instance

FIELDS = (
    "student_ids",
    "unit_ids",
    "unit_capacity",
    "has_ties",
    "supervisor_ids",
    "supervisor_unit",
    "supervisor_capacity",
    "has_supervisors",
    "pinned",
    "forbidden",
)
ARRAYS = ("pref_start", "pref_unit", "rank_start", "rank_student", "rank_group", "pref_entry")


def general(text: bytes) -> Instance | str:
    """What the general parser makes of the text: an instance, or its refusal."""
    try:
        data = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return "not JSON"
    try:
        return Instance.from_dict(data)
    except InstanceError as error:
        return str(error)


def fast(text: bytes) -> Instance | str:
    try:
        return reader.instance_from_json(text)
    except InstanceError as error:
        message = str(error)
        return "not JSON" if "not JSON" in message or "not UTF-8" in message else message


def assert_same(text: bytes) -> Instance | str:
    ours, theirs = fast(text), general(text)
    if isinstance(theirs, str):
        assert ours == theirs
        return theirs
    assert isinstance(ours, Instance), ours
    for name in FIELDS:
        assert getattr(ours, name) == getattr(theirs, name), name
    for name in ARRAYS:
        assert np.array_equal(getattr(ours, name), getattr(theirs, name)), name
    return ours


def takes_fast_path(text: bytes) -> bool:
    buffer = bytearray(text) + bytearray(reader.PADDING)
    return reader.parse(buffer, len(text)) is not None


LAYOUTS = [
    {"separators": (",", ":")},
    {},
    {"indent": 2},
    {"indent": "\t"},
]


@st.composite
def instance_data(draw):
    """Small instances in every shape the format allows: odd ids, key orders, optional
    members, ties now and then."""
    id_text = st.one_of(
        st.from_regex(r"[a-z][a-z0-9]{0,3}", fullmatch=True),
        st.text(alphabet='aåé:{}[], 0123456789"\\\t', min_size=0, max_size=18),
    )
    student_ids = draw(st.lists(id_text, min_size=1, max_size=6, unique=True))
    unit_ids = draw(st.lists(id_text, min_size=1, max_size=4, unique=True))
    students = []
    for sid in student_ids:
        row: dict = {"id": sid}
        if draw(st.integers(0, 4)):
            row["preferences"] = draw(st.permutations(unit_ids))[: draw(st.integers(0, 4))]
        if draw(st.booleans()):
            row = dict(reversed(list(row.items())))
        students.append(row)
    units = []
    for uid in unit_ids:
        ranking: list = draw(st.permutations(student_ids))[: draw(st.integers(0, 6))]
        if len(ranking) >= 2 and draw(st.integers(0, 5)) == 0:
            ranking = [ranking[:2], *ranking[2:]]
        row = {"id": uid, "capacity": draw(st.integers(0, 3))}
        if draw(st.booleans()):
            row["ranking"] = ranking
        items = list(row.items())
        draw(st.randoms(use_true_random=False)).shuffle(items)
        units.append(dict(items))
    data: dict = {"students": students, "units": units}
    if draw(st.booleans()):
        data["supervisors"] = [
            {"id": f"h{n}", "unit": uid, "capacity": draw(st.integers(0, 2))}
            for n, uid in enumerate(unit_ids)
        ]
    if draw(st.booleans()):
        pairs = [[s, u] for s in student_ids for u in unit_ids]
        data["forbidden"] = draw(st.lists(st.sampled_from(pairs), max_size=2, unique_by=str))
        data["pinned"] = draw(st.lists(st.sampled_from(pairs), max_size=1))
    if draw(st.booleans()):
        data = dict(reversed(list(data.items())))
    return data


@settings(max_examples=300, deadline=None)
@given(data=instance_data(), layout=st.sampled_from(LAYOUTS), ascii_only=st.booleans())
def test_any_instance_in_any_layout_reads_the_same(data, layout, ascii_only):
    text = json.dumps(data, ensure_ascii=ascii_only, **layout).encode("utf-8")
    assert_same(text)


@settings(max_examples=400, deadline=None)
@given(
    data=instance_data(),
    cuts=st.lists(st.tuples(st.integers(0, 10**6), st.binary(max_size=3)), min_size=1, max_size=3),
)
def test_any_damaged_text_is_refused_or_read_the_same(data, cuts):
    text = bytearray(json.dumps(data, separators=(",", ":")).encode())
    for at, new in cuts:
        at %= len(text)
        text[at : at + 1] = new
    assert_same(bytes(text))


def test_the_usual_file_takes_the_fast_path_and_reads_the_same():
    data = random_instance(3000, 150, 6, seed=5)
    for layout in LAYOUTS:
        text = json.dumps(data, **layout).encode()
        assert takes_fast_path(text), layout
        instance = assert_same(text)
        assert isinstance(instance, Instance) and instance.has_supervisors


@pytest.mark.parametrize(
    "ids",
    [
        ["a", "ab", "abcdefg", "abcdefgh"],  # up to one word: the key is the bytes
        ["abcdefgh", "abcdefghi", "abcdefghij", "x" * 40],  # longer: a hash, then the bytes
        ["ålänning", "Ödeshög", "enhet 1", "id", "preferences", "ranking"],
    ],
)
def test_ids_of_every_length_and_alphabet(ids):
    data = {
        "students": [{"id": f"{s}-s", "preferences": ids[::-1]} for s in ids],
        "units": [{"id": u, "capacity": 1, "ranking": [f"{s}-s" for s in ids]} for u in ids],
        "supervisors": [{"id": f"h-{u}", "unit": u, "capacity": 1} for u in ids],
    }
    text = json.dumps(data, ensure_ascii=False).encode()
    assert takes_fast_path(text)
    assert isinstance(assert_same(text), Instance)


@pytest.mark.parametrize(
    ("text", "may_be_fast"),
    [
        # a unit whose id differs from a wish only after its eighth byte
        (
            b'{"students":[{"id":"s","preferences":["abcdefghX"]}],'
            b'"units":[{"id":"abcdefgh","capacity":1}]}',
            True,
        ),
        # a short id at the very end of the text beside one longer than eight bytes
        (
            b'{"students":[{"id":"s","preferences":["u"]}],'
            b'"units":[{"id":"abcdefghi","capacity":0},{"id":"u","capacity":1}]}',
            True,
        ),
        (
            b'{"students":[],"units":[{"capacity":0,"id":"abcdefghi"},{"capacity":1,"id":"u"}]}',
            True,
        ),
        # the same id twice
        (b'{"students":[{"id":"s"},{"id":"s"}],"units":[]}', True),
        (b'{"students":[{"id":"longer-than-eight"},{"id":"longer-than-eight"}],"units":[]}', True),
        # an empty id; a ranking of an unknown student
        (b'{"students":[{"id":""}],"units":[]}', True),
        (b'{"students":[],"units":[{"id":"u","capacity":1,"ranking":["ghost"]}]}', True),
        # numbers JSON does not allow, or the format does not
        (b'{"students":[],"units":[{"id":"u","capacity":01}]}', True),
        (b'{"students":[],"units":[{"id":"u","capacity":-1}]}', True),
        (b'{"students":[],"units":[{"id":"u","capacity":1.5}]}', True),
        (b'{"students":[],"units":[{"id":"u","capacity":123456789012345678901}]}', True),
        # escapes, control characters, a byte-order mark, broken UTF-8
        (b'{"students":[{"id":"s\\u00e5"}],"units":[]}', False),
        (b'{"students":[{"id":"s\x01"}],"units":[]}', True),
        (b'{"students":[{"id":"s\ttab"}],"units":[]}', True),
        (b'\xef\xbb\xbf{"students":[],"units":[]}', True),
        (b'{"students":[{"id":"\xc3"}],"units":[]}', True),
        # duplicate keys: the last counts, as in JSON
        (b'{"students":[{"id":"a"}],"students":[{"id":"b"}],"units":[]}', True),
        (b'{"students":[{"id":"a","id":"b"}],"units":[]}', False),
        # structure: trailing comma, unclosed, extra text, not an object, empty
        (b'{"students":[],"units":[],}', True),
        (b'{"students":[],"units":[]', True),
        (b'{"students":[],"units":[]} []', True),
        (b"[]", True),
        (b"", True),
        (b"   \n", True),
        # a student pinned twice, a pair both pinned and forbidden, an unknown key
        (
            b'{"students":[{"id":"s"}],"units":[{"id":"u","capacity":2}],'
            b'"pinned":[["s","u"],["s","u"]]}',
            True,
        ),
        (
            b'{"students":[{"id":"s"}],"units":[{"id":"u","capacity":2}],'
            b'"pinned":[["s","u"]],"forbidden":[["s","u"]]}',
            True,
        ),
        (b'{"students":[],"units":[],"extra":1}', True),
        # supervisors of an unknown unit, twice the same supervisor
        (b'{"students":[],"units":[],"supervisors":[{"id":"h","unit":"u","capacity":1}]}', True),
        (
            b'{"students":[],"units":[{"id":"u","capacity":1}],"supervisors":'
            b'[{"id":"h","unit":"u","capacity":1},{"id":"h","unit":"u","capacity":1}]}',
            True,
        ),
    ],
)
def test_odd_and_broken_texts_get_the_general_parsers_answer(text, may_be_fast):
    assert_same(text)
    if not may_be_fast:  # the fast reader leaves these to the general one
        assert not takes_fast_path(text)


def test_valid_pairs_and_ties_are_read_like_the_general_parser_reads_them():
    data = random_instance(400, 30, 4, seed=2)
    rng = random.Random(3)
    data["units"][0]["ranking"] = [
        data["units"][0]["ranking"][:2],
        *data["units"][0]["ranking"][2:],
    ]
    student = rng.choice(data["students"])
    data["forbidden"] = [[student["id"], student["preferences"][0]]]
    text = json.dumps(data).encode()
    assert not takes_fast_path(text)  # a tie: the general parser reads it
    assert_same(text)
    del data["units"][0]["ranking"][0]
    text = json.dumps(data).encode()
    assert takes_fast_path(text)
    assert assert_same(text).forbidden
