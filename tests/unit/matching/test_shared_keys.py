"""Keys held by one record are left out of the duplicate report's index, and nothing else."""

from __future__ import annotations

from collections import Counter, defaultdict

from hypothesis import given
from hypothesis import strategies as st

from customer_core.domain.matching.duplicates import (
    _ONCE_IS_NONE,
    _holder_keys,
    _tenant_index,
    blocking_keys,
)
from customer_core.domain.matching.records import MatchRecord
from customer_core.domain.matching.shared_keys import SeenTwice
from customer_core.domain.values.phone import PhoneType

_KEYS = st.lists(st.sets(st.text(alphabet="abcd", max_size=3), max_size=6), max_size=40)


@given(_KEYS)
def test_a_key_two_records_hold_always_looks_shared(records: list[set[str]]) -> None:
    seen = SeenTwice(1)
    for keys in records:
        seen.add(keys)
    counts = Counter(k for keys in records for k in keys)
    assert all(seen.maybe_shared(k) for k, n in counts.items() if n > 1)


def test_families_keep_equal_keys_apart() -> None:
    seen = SeenTwice(1)
    seen.add({"cep:01001000"}, 0)
    seen.add({"cep:01001000"}, 1)
    assert not seen.maybe_shared("cep:01001000", 0)


@st.composite
def _records(draw: st.DrawFn) -> list[MatchRecord]:
    """Records that often share a name, a line, an e-mail or a CEP, and often do not."""
    records = []
    for n in range(draw(st.integers(0, 25))):
        records.append(
            MatchRecord.from_parts(
                f"r{n:02}",
                company=draw(st.booleans()),
                name=draw(st.sampled_from(["Ana Lima", "Ana M Lima", "Bruno Souza", "Rosa"])),
                trade_name=None,
                tax_id=draw(st.sampled_from([None, "52998224725", "11222333000181"])),
                lines=[
                    (f"55119{draw(st.integers(10000000, 10000000 + 40))}", PhoneType.MOBILE)
                    for _ in range(draw(st.integers(0, 2)))
                ],
                whatsapp=[],
                emails=draw(
                    st.lists(
                        st.sampled_from(["ana.lima@gmail.com", "ana.lima@uol.com.br", "x@y.com"])
                        | st.builds("{}@empresa.com.br".format, st.text("abcdef", min_size=4)),
                        max_size=2,
                    )
                ),
                cities=draw(st.lists(st.sampled_from(["Cuiabá", "Recife"]), max_size=1)),
                ceps=[
                    *draw(st.lists(st.sampled_from(["78000000", "50000000"]), max_size=1)),
                    f"{n:08}",
                ],
            )
        )
    return records


@given(_records())
def test_the_index_is_the_tenants_less_the_keys_held_once(records: list[MatchRecord]) -> None:
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        for key in blocking_keys(record):
            blocks[key].append(index)
    counts = Counter(k for record in records for k in _holder_keys(record))
    held_once = {k for k, n in counts.items() if n == 1 and k.startswith(_ONCE_IS_NONE)}
    found_blocks, found_counts, _ = _tenant_index(records)
    assert found_blocks == {k: m for k, m in blocks.items() if len(m) > 1}
    # Every key two records hold is counted exactly; a key held once may be kept
    # too (its hash took a shared key's bit: SeenTwice is a superset), counted right.
    shared = {k: n for k, n in counts.items() if k not in held_once}
    assert {k: found_counts[k] for k in shared} == shared
    assert all(found_counts[k] == counts[k] for k in found_counts)
