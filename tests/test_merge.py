"""The three-way merge of two edits of one record (scout.domain.merge): examples, then
properties over generated records (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from scout.domain.merge import merge_fields

GROUPS = ("logistics", "accessibility")
PLAIN = ("name", "decor", "notes")
LEAVES = ("parking", "power", "lift")
_GONE = object()


# -- examples ------------------------------------------------------------------------------
def test_two_writers_fill_different_logistics_of_a_lieu_that_had_none() -> None:
    base = {"name": "Rue Crémieux"}
    mine = {"name": "Rue Crémieux", "logistics": {"parking": "2 places"}}
    theirs = {"name": "Rue Crémieux", "logistics": {"power": "groupe 60 kVA"}}
    result = merge_fields(base, mine, theirs)
    assert result.clean
    assert result.merged["logistics"] == {"parking": "2 places", "power": "groupe 60 kVA"}
    assert result.mine_changed == ("logistics.parking",)


def test_a_group_held_as_none_merges_like_a_missing_one() -> None:
    base = {"name": "Quai", "needs": None}
    mine = {"name": "Quai", "needs": {"water": True}}
    theirs = {"name": "Quai", "needs": {"toilets": 2}}
    assert merge_fields(base, mine, theirs).merged["needs"] == {"water": True, "toilets": 2}


def test_the_same_logistics_field_filled_twice_is_a_conflict_with_both_values() -> None:
    base = {"name": "Rue Crémieux"}
    mine = {"name": "Rue Crémieux", "logistics": {"parking": "2 places"}}
    theirs = {"name": "Rue Crémieux", "logistics": {"parking": "aucune"}}
    result = merge_fields(base, mine, theirs)
    [conflict] = result.conflicts
    assert (conflict.field, conflict.base, conflict.mine, conflict.theirs) == (
        "logistics.parking",
        None,
        "2 places",
        "aucune",
    )


def test_a_group_emptied_on_my_side_stays_out() -> None:
    base = {"name": "A", "logistics": {"parking": "2"}}
    result = merge_fields(base, {"name": "A"}, base)
    assert result.clean and result.merged == {"name": "A"}


# -- properties ------------------------------------------------------------------------------
values = st.one_of(st.integers(-3, 3), st.sampled_from(["", "a", "b", "« c »"]), st.booleans())
groups = st.one_of(
    st.none(), st.dictionaries(st.sampled_from(LEAVES), values, max_size=len(LEAVES))
)


@st.composite
def records(draw: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for key in PLAIN:
        if draw(st.booleans()):
            doc[key] = draw(values)
    for key in GROUPS:
        group = draw(st.one_of(st.just(_GONE), groups))
        if group is not _GONE:
            doc[key] = group
    return doc


def leaves(doc: dict[str, Any]) -> dict[str, Any]:
    """A record's values by field name, groups flattened ("logistics.parking")."""
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if key in GROUPS:
            out.update({f"{key}.{k}": v for k, v in (value or {}).items()})
        else:
            out[key] = value
    return out


def changed(base: dict[str, Any], other: dict[str, Any]) -> set[str]:
    a, b = leaves(base), leaves(other)
    return {k for k in set(a) | set(b) if a.get(k, _GONE) != b.get(k, _GONE)}


@st.composite
def edited(draw: Any, base: dict[str, Any], keep: frozenset[str] = frozenset()) -> dict[str, Any]:
    """`base` with some fields changed, added or removed, none of the `keep` ones."""
    flat = leaves(base)
    for name in PLAIN + tuple(f"{g}.{leaf}" for g in GROUPS for leaf in LEAVES):
        if name in keep or not draw(st.booleans()):
            continue
        if draw(st.integers(0, 3)) == 0:
            flat.pop(name, None)
        else:
            flat[name] = draw(values)
    doc: dict[str, Any] = {k: v for k, v in flat.items() if "." not in k}
    for group in GROUPS:
        inner = {k.split(".", 1)[1]: v for k, v in flat.items() if k.startswith(group + ".")}
        if inner or (group in base and draw(st.booleans())):
            doc[group] = inner or base[group]
    return doc


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_without_my_change_theirs_stands(data: st.DataObject) -> None:
    base = data.draw(records())
    theirs = data.draw(edited(base))
    result = merge_fields(base, base, theirs)
    assert result.clean and result.merged == theirs


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_without_their_change_mine_is_saved(data: st.DataObject) -> None:
    base = data.draw(records())
    mine = data.draw(edited(base))
    result = merge_fields(base, mine, base)
    assert result.clean and result.merged == mine


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_changes_to_different_fields_never_conflict_and_both_are_kept(
    data: st.DataObject,
) -> None:
    base = data.draw(records())
    mine = data.draw(edited(base))
    theirs = data.draw(edited(base, keep=frozenset(changed(base, mine))))
    assert not changed(base, mine) & changed(base, theirs)
    result = merge_fields(base, mine, theirs)
    assert result.clean
    merged, mine_flat, theirs_flat = leaves(result.merged), leaves(mine), leaves(theirs)
    for name in changed(base, mine):
        assert merged.get(name, _GONE) == mine_flat.get(name, _GONE)
    for name in changed(base, theirs):
        assert merged.get(name, _GONE) == theirs_flat.get(name, _GONE)


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_a_conflict_never_loses_either_value(data: st.DataObject) -> None:
    base = data.draw(records())
    mine = data.draw(edited(base))
    theirs = data.draw(edited(base))
    result = merge_fields(base, mine, theirs)
    merged, mine_flat, theirs_flat = leaves(result.merged), leaves(mine), leaves(theirs)
    conflicts = {c.field: c for c in result.conflicts}
    for c in result.conflicts:
        assert c.mine == mine_flat.get(c.field)
        assert c.theirs == theirs_flat.get(c.field)
        assert c.mine != c.theirs or mine_flat.get(c.field, _GONE) != theirs_flat.get(
            c.field, _GONE
        )
    # every change of either side is in the result or in a conflict naming it
    for name in changed(base, mine):
        if name not in conflicts:
            assert merged.get(name, _GONE) == mine_flat.get(name, _GONE)
    for name in changed(base, theirs):
        if name not in conflicts:
            assert merged.get(name, _GONE) == theirs_flat.get(name, _GONE)
