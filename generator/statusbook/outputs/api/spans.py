"""Which of a component's incidents can be active at a moment, found without reading them all.

The state.json every public build writes asks for a component's last status change once per
update of the past week (notify/changes.py), and each question is a walk back through the
moments its status could have changed at. Reading all of the component's incidents at each
of those moments made the build quadratic in the history: 10 s of a 16 s build at 10,000
incidents. An incident can only be active from its first update until its last one when that
last one resolves it (later, only a reopening update could make it active again, and then
its last update is not a resolution); `Spans` keeps those intervals sorted by start, so that
a question reads only the incidents whose interval holds the moment.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import datetime

from ...model import Incident, IncidentStatus

_RESOLVED = IncidentStatus.RESOLVED.value


class Spans:
    """A component's incidents, in content order, indexed by the interval each can be active in."""

    def __init__(self, incidents: Sequence[Incident]) -> None:
        self.incidents = tuple(incidents)
        bounded: list[tuple[datetime, datetime, int]] = []
        #: Incidents whose last update does not resolve them: active at any moment after their
        #: first update, as far as the interval can tell. Few (the open ones); always read.
        self.open: list[int] = []
        for n, incident in enumerate(self.incidents):
            if not incident.updates:
                continue  # never posted: never active
            first, last = incident.updates[0], incident.updates[-1]
            if last.status == _RESOLVED:
                bounded.append((first.at, last.at, n))
            else:
                self.open.append(n)
        bounded.sort(key=lambda span: (span[0], span[2]))
        self.starts = [start for start, _, _ in bounded]
        self.ends = [end for _, end, _ in bounded]
        self.index = [n for _, _, n in bounded]
        #: reach[k]: the latest end among the first k+1 spans by start: once it is not after a
        #: moment, no earlier-starting span can hold that moment.
        self.reach: list[datetime] = []
        for end in self.ends:
            self.reach.append(end if not self.reach or end > self.reach[-1] else self.reach[-1])
        self._open_starts = [self.incidents[n].updates[0].at for n in self.open]

    def candidates(self, moment: datetime) -> list[Incident]:
        """The incidents that may be active at `moment`, in content order: every incident
        whose first update is not after it and that its last update had not resolved by
        then. (views/status.py decides whether each one is.)"""
        found = [
            n for n, start in zip(self.open, self._open_starts, strict=True) if start <= moment
        ]
        k = bisect_right(self.starts, moment) - 1
        while k >= 0 and self.reach[k] > moment:
            if self.ends[k] > moment:
                found.append(self.index[k])
            k -= 1
        return [self.incidents[n] for n in sorted(found)]
