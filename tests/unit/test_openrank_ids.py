"""NodeIds: developers numbered from their Neo4j node ids, in numpy (a run's developer index)."""

from __future__ import annotations

import numpy as np
import pytest

from nichegraph.analysis.openrank.method import NodeIds, NodeIndex


def test_ids_are_numbered_in_order_of_first_appearance_as_names_are() -> None:
    ids, names = NodeIds(), NodeIndex()
    batches = [[907, 3, 907, 12], [12, 5_000_000, 3, 44]]  # ids far apart: the lookup grows
    for batch in batches:
        got = ids.indexes_of(np.asarray(batch))
        assert got.tolist() == names.indexes(str(i) for i in batch)
    assert ids.ids.tolist() == [907, 3, 12, 5_000_000, 44]
    assert len(ids) == len(names) == 5
    assert ids.indexes_of(np.zeros(0, dtype=np.int64)).size == 0


def test_names_are_read_once_when_asked_for() -> None:
    asked: list[list[int]] = []

    def read_names(ids: np.ndarray) -> list[str]:
        asked.append(ids.tolist())
        return [f"dev{i}" for i in ids.tolist()]

    ids = NodeIds(read_names)
    ids.indexes_of(np.asarray([8, 2]))
    assert ids.names == ["dev8", "dev2"] and ids.names == ["dev8", "dev2"]
    assert asked == [[8, 2]]
    ids.indexes_of(np.asarray([2, 9]))  # a new developer: the names are read again
    assert ids.names == ["dev8", "dev2", "dev9"]


def test_without_a_reader_names_are_refused_and_bad_ids_too() -> None:
    ids = NodeIds()
    ids.indexes_of(np.asarray([1]))
    with pytest.raises(ValueError, match="node id only"):
        _ = ids.names
    with pytest.raises(ValueError, match="never negative"):
        ids.indexes_of(np.asarray([-1]))
