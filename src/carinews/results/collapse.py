"""Fold syndicated copies in a ranked list into the best-ranked article they copy."""

from __future__ import annotations

from carinews.analysis.sketches import similar


def group_copies(matches, limit: int, collapse: bool) -> list[list]:
    """Up to `limit` groups of matches in rank order; with `collapse`, a match joins the group
    of a better match it copies: a similar body (analysis/sketches.py), or the same exact-lead
    key when a body is too short to sketch."""
    groups: list[list] = []
    for match in matches:
        if collapse:
            home = next((g for g in groups if copies_of(g[0], match)), None)
            if home is not None:
                home.append(match)
                continue
        if len(groups) < limit:
            groups.append([match])
    return groups


def copies_of(leader, match) -> bool:
    """Whether `match` copies `leader` (both `Match`es)."""
    if match.sketch and leader.sketch:
        return similar(match.sketch, leader.sketch)
    return match.dup == leader.dup
