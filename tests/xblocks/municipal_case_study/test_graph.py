"""The branching graph: successors, reachability, distances, cycles."""
from municipal_case_study import graph


def steps(*specs):
    """specs: (id, type, next or None, [option nexts] for decisions)."""
    built = []
    for step_id, kind, nxt, *options in specs:
        step = {"id": step_id, "type": kind}
        if nxt:
            step["next"] = nxt
        if kind == "decision":
            step["options"] = [{"id": f"o{i}", **({"next": target} if target else {})}
                               for i, target in enumerate(options[0])]
        built.append(step)
    return built


BRANCHING = steps(("a", "decision", None, ["c", None]), ("b", "reflection", "d"), ("c", "rubric", None),
                  ("d", "debrief", None))


def test_implicit_next_is_the_following_step_and_options_override_it():
    assert graph.adjacency(BRANCHING) == {"a": ["c", "b"], "b": ["d"], "c": ["d"], "d": []}


def test_debrief_has_no_successor_even_when_not_last():
    assert graph.default_successor(steps(("x", "debrief", None), ("y", "debrief", None)), 0) is None


def test_dangling_targets_are_dropped_from_the_adjacency():
    assert graph.adjacency(steps(("a", "reflection", "nowhere"), ("d", "debrief", None)))["a"] == []


def test_reachable_and_distances():
    adjacency = graph.adjacency(BRANCHING)
    assert graph.reachable(adjacency, "a") == {"a", "b", "c", "d"}
    assert graph.distances_to(adjacency, {"d"}) == {"d": 0, "b": 1, "c": 1, "a": 2}


def test_longest_to_is_none_with_a_reachable_cycle():
    looping = steps(("a", "decision", None, ["a", "d"]), ("d", "debrief", None))
    adjacency = graph.adjacency(looping)
    assert graph.longest_to(adjacency, "a", {"d"}) is None
    assert graph.longest_to(graph.adjacency(BRANCHING), "a", {"d"}) == 2


def test_closed_cycles_only_reports_cycles_without_exit():
    trapped = graph.adjacency(steps(("a", "reflection", "b"), ("b", "reflection", "a"), ("d", "debrief", None)))
    assert [sorted(c) for c in graph.closed_cycles(trapped, {"a", "b"})] == [["a", "b"]]
    open_loop = graph.adjacency(steps(("a", "decision", None, ["a", "d"]), ("d", "debrief", None)))
    assert graph.closed_cycles(open_loop, {"a"}) == []


def test_self_loop_without_exit_is_a_closed_cycle():
    adjacency = graph.adjacency(steps(("a", "reflection", "a"), ("d", "debrief", None)))
    assert graph.closed_cycles(adjacency, {"a"}) == [["a"]]


def test_strongly_connected_handles_long_chains_without_recursion():
    chain = [{"id": f"s{i}", "type": "reflection"} for i in range(3000)] + [{"id": "end", "type": "debrief"}]
    assert len(graph.strongly_connected(graph.adjacency(chain))) == 3001
