"""What the objective partials (_slo_home.html, _slo_component.html) show: slo.Report -> text,
numbers and pictures for one page. Pure: the renderer registers these as template globals."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import markupsafe

from ..i18n import ENGLISH, Lang
from ..model import Corpus
from ..views import slo
from . import slo_chart
from .charts import data_table
from .slo_chart import minutes_text


def percent_text(value: float, places: int = 3) -> str:
    """Rounded down, like the uptime strip: 99.8996% reads 99.899%, never a met-looking 99.9%."""
    scale = 10**places
    return f"{math.floor(value * scale + 1e-9) / scale:.{places}f}%"


def target_text(target: float) -> str:
    return f"{target:g}%"


def _weights_text(report: slo.Report, lang: Lang) -> str:
    _ = lang.gettext
    o = report.objective
    maintenance = (
        _("maintenance counts as down") if o.count_maintenance else _("maintenance is left out")
    )
    return _(
        "a minute of major outage spends a whole minute of the budget, a minute of partial "
        "outage %(partial)s of a minute, of degraded performance %(degraded)s; %(maintenance)s"
    ) % {
        "partial": f"{o.partial_outage:g}",
        "degraded": f"{o.degraded_performance:g}",
        "maintenance": maintenance,
    }


def _summary(report: slo.Report | slo.GroupReport, lang: Lang = ENGLISH) -> dict[str, Any]:
    remaining = report.remaining_minutes
    budget = report.budget_minutes
    share = max(math.floor(100 * remaining / budget), 0) if budget > 0 else 0
    return {
        "met": report.met,
        "availability": _percent(report.availability, lang),
        "budget": minutes_text(budget, lang),
        "spent": minutes_text(report.spent_minutes, lang),
        "remaining": minutes_text(max(remaining, 0.0), lang),
        "over": minutes_text(-remaining, lang) if remaining < 0 else "",
        "remaining_share": f"{share}%" if lang.is_source else lang.percent(share, 0),
    }


def _percent(value: float, lang: Lang) -> str:
    if lang.is_source:
        return percent_text(value)
    return lang.percent(math.floor(value * 1000 + 1e-9) / 1000, 3)


class SloPages:
    """Template globals for one build: built once, shared by every page."""

    def __init__(
        self,
        corpus: Corpus,
        reports: dict[str, slo.Report],
        titles: dict[str, str],
        internal: bool,
        lang: Lang = ENGLISH,
    ):
        self.lang = lang
        self.reports = reports
        self.groups = slo.groups(corpus, reports)
        self.names = {c.id: c.name for c in corpus.components}
        self.corpus = corpus
        self.titles = titles
        self.internal = internal
        self.incidents = {i.id: i for i in corpus.incidents}

    def _target(self, target: float) -> str:
        return target_text(target) if self.lang.is_source else self.lang.percent_as_is(target)

    def component(self, cid: str, base: str) -> dict[str, Any] | None:
        """The component page's objective: summary, burn chart, its table, and (internal)
        what each incident spent."""
        report = self.reports.get(cid)
        if report is None:
            return None
        name = self.names[cid]
        o = report.objective
        days = o.window.days
        summary = _summary(report, self.lang)
        _ = self.lang.gettext
        desc = (
            _(
                "Error budget spent by %(name)s over the last %(days)s days, day by day: "
                "%(spent)s of a %(budget)s budget; objective met."
            )
            if report.met
            else _(
                "Error budget spent by %(name)s over the last %(days)s days, day by day: "
                "%(spent)s of a %(budget)s budget; objective missed."
            )
        ) % {"name": name, "days": days, "spent": summary["spent"], "budget": summary["budget"]}
        ends = [report.window_start + timedelta(days=k + 1) for k in range(days)]
        labels = [
            f"{d.day} {d.strftime('%b %H:%M')} UTC" if self.lang.is_source else self.lang.time(d)
            for d in ends
        ]
        burn = list(report.burn)
        # The table lists the days the burn rose, not every day of a quiet window.
        rows = [(labels[k], burn[k]) for k in range(days) if burn[k] > (burn[k - 1] if k else 0)]
        return {
            "name": name,
            "target": self._target(o.target),
            "days": days,
            "weights": _weights_text(report, self.lang),
            **summary,
            "chart": markupsafe.Markup(
                slo_chart.burn_chart(
                    f"slo-burn-{cid}",
                    _("%(name)s: error budget burn, last %(days)s days")
                    % {"name": name, "days": days},
                    desc,
                    burn,
                    report.budget_minutes,
                    days,
                    self.lang,
                )
            ),
            "table": markupsafe.Markup(
                data_table(
                    _("Budget spent by the end of each day with downtime (of %(budget)s)")
                    % {"budget": summary["budget"]},
                    [r[0] for r in rows],
                    [(_("Spent so far"), [r[1] for r in rows])],
                    label_header=_("Day"),
                    fmt=lambda m: minutes_text(m, self.lang),
                )
            )
            if rows
            else "",
            "spends": self._spends(report.spends, base) if self.internal else [],
        }

    def _spends(self, spends: tuple[slo.Spend, ...], base: str) -> list[dict[str, Any]]:
        out = []
        for spend in spends:
            incident = self.incidents.get(spend.source_id)
            kind = "incidents" if incident is not None else "maintenance"
            out.append(
                {
                    "id": spend.source_id,
                    "title": self.titles.get(spend.source_id, spend.source_id),
                    "url": f"{base}{kind}/{spend.source_id}/",
                    "severity": incident.severity if incident is not None else "maintenance",
                    "minutes": minutes_text(spend.minutes, self.lang),
                }
            )
        return out

    def overview(self) -> list[dict[str, Any]]:
        """The home page's objectives: per group (members taken together), then each member;
        components outside any group last."""
        out = []
        grouped: set[str] = set()
        for group in self.corpus.groups:
            found = self.groups.get(group.id)
            if found is None:
                continue
            grouped.update(r.component_id for r in found.members)
            out.append(
                {
                    "name": group.name,
                    "count": len(found.members),
                    "met_count": found.met_count,
                    **_summary(found, self.lang),
                    "components": [self._row(r) for r in found.members],
                }
            )
        loose = [r for cid, r in self.reports.items() if cid not in grouped]
        if loose:
            out.append({"name": "", "components": [self._row(r) for r in loose]})
        return out

    def _row(self, report: slo.Report) -> dict[str, Any]:
        name = self.names[report.component_id]
        summary = _summary(report, self.lang)
        days = report.objective.window.days
        _ = self.lang.gettext
        state = (
            _("%(remaining)s of %(budget)s left") % summary
            if report.met
            else _("over budget by %(over)s") % summary
        )
        return {
            "id": report.component_id,
            "name": name,
            "target": self._target(report.objective.target),
            "days": days,
            **summary,
            "gauge": markupsafe.Markup(
                slo_chart.gauge(
                    f"slo-gauge-{report.component_id}",
                    _("%(name)s: error budget spent") % {"name": name},
                    _("%(spent)s of a %(budget)s budget spent; %(state)s.")
                    % {**summary, "state": state},
                    report.spent_minutes,
                    report.budget_minutes,
                )
            ),
        }
