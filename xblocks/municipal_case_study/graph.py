"""The branching graph of a case's steps (pure).

Steps are listed in order; the first is the start. A step leads to its ``next`` or, without one,
to the following step in the list; a decision option leads to its own ``next``, else to its
step's successor. A debrief ends the case. One rule, used by validation, navigation and progress.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

Step = Mapping[str, Any]


def default_successor(steps: Sequence[Step], index: int) -> str | None:
    """Where step ``index`` leads when no option overrides it (None: nowhere)."""
    step = steps[index]
    if step["type"] == "debrief":
        return None
    if "next" in step:
        return step["next"]
    return steps[index + 1]["id"] if index + 1 < len(steps) else None


def option_successor(steps: Sequence[Step], index: int, option: Mapping[str, Any]) -> str | None:
    """Where choosing ``option`` at decision step ``index`` leads."""
    return option.get("next") or default_successor(steps, index)


def edges(steps: Sequence[Step], index: int) -> Iterator[tuple[tuple, str | None]]:
    """(path relative to the step, target) for every way out of step ``index``."""
    step = steps[index]
    if step["type"] == "decision":
        for j, option in enumerate(step["options"]):
            yield ("options", j), option_successor(steps, index, option)
    elif step["type"] != "debrief":
        yield (), default_successor(steps, index)


def adjacency(steps: Sequence[Step]) -> dict[str, list[str]]:
    """Step id → distinct existing successor ids, in order (dangling targets dropped).

    With duplicate ids the first definition wins; validation reports the duplicates.
    """
    known = {step["id"] for step in steps}
    graph: dict[str, list[str]] = {}
    for index, step in enumerate(steps):
        if step["id"] in graph:
            continue
        targets = [target for _, target in edges(steps, index) if target in known]
        graph[step["id"]] = list(dict.fromkeys(targets))
    return graph


def reachable(graph: Mapping[str, Sequence[str]], start: str) -> set[str]:
    """Every step reachable from ``start`` (itself included)."""
    seen, queue = {start}, deque([start])
    while queue:
        for target in graph.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def distances_to(graph: Mapping[str, Sequence[str]], goals: set[str]) -> dict[str, int]:
    """Fewest moves from each step to any goal; steps that cannot reach one are absent."""
    reverse: dict[str, list[str]] = {node: [] for node in graph}
    for node, targets in graph.items():
        for target in targets:
            reverse.setdefault(target, []).append(node)
    distance = {goal: 0 for goal in goals}
    queue = deque(goals)
    while queue:
        node = queue.popleft()
        for source in reverse.get(node, ()):
            if source not in distance:
                distance[source] = distance[node] + 1
                queue.append(source)
    return distance


def strongly_connected(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit on long cases)."""
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in graph:
        if root in index_of:
            continue
        work = [(root, iter(graph[root]))]
        index_of[root] = low[root] = len(index_of)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index_of:
                    index_of[target] = low[target] = len(index_of)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph.get(target, ()))))
                elif target in on_stack:
                    low[node] = min(low[node], index_of[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index_of[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components


def closed_cycles(graph: Mapping[str, Sequence[str]], among: set[str]) -> list[list[str]]:
    """Cycles within ``among`` that no edge leaves: once in, a learner can never get out."""
    found = []
    for component in strongly_connected(graph):
        members = set(component)
        if not members <= among:
            continue
        is_cycle = len(component) > 1 or component[0] in graph.get(component[0], ())
        leaves = any(target not in members for node in component for target in graph.get(node, ()))
        if is_cycle and not leaves:
            found.append(component)
    return found


def longest_to(graph: Mapping[str, Sequence[str]], start: str, goals: set[str]) -> int | None:
    """Most moves from ``start`` to a goal, or None when a cycle makes it unbounded."""
    memo: dict[str, int] = {}
    visiting: set[str] = set()

    def longest(node: str) -> int | None:
        if node in goals:
            return 0
        if node in memo:
            return memo[node]
        if node in visiting:
            return None
        visiting.add(node)
        best = -1
        for target in graph.get(node, ()):
            length = longest(target)
            if length is None:
                return None
            if length >= 0:
                best = max(best, length + 1)
        visiting.discard(node)
        memo[node] = best
        return best

    result = longest(start)
    return None if result is None or result < 0 else result
