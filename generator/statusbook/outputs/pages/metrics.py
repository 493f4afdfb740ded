"""The incident metrics page: response times by quarter and incident counts by month and by
component, as charts with their data tables. Internal editions group by severity."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import markupsafe

from ...i18n import Lang
from ...views import metrics as stats
from .. import charts
from .render import Page, Renderer


def metrics_page(r: Renderer) -> Page:
    """Response times and incident counts; internal editions group by severity."""
    view, lang = r.view, r.lang
    group_by = "severity" if view.settings.internal else "impact"
    order = view.settings.severities if group_by == "severity" else None
    data = stats.compute(view.corpus, view.now, view.tz, group_by, order)
    names = {c.id: c.name for c in view.corpus.components}
    html = r.render(
        "metrics.html",
        "../../",
        data=data,
        group_by=group_by,
        fmt_duration=lambda value: lang.reunit(stats.format_duration(value)),
        **_time_to_resolve(data, lang),
        **_per_month(data, lang),
        months=data.months[-12:],
        component_rows=[
            (names[c.component_id], c.counts[-12:], c.total) for c in data.per_component
        ],
        excluded=_excluded(data),
    )
    return Page(
        "postmortems/metrics/",
        lang.gettext("Incident metrics"),
        lang.gettext("Time to detect, acknowledge, mitigate and resolve, and incident counts"),
        html,
    )


def _no_data(lang: Lang) -> str:
    return "no data" if lang.is_source else lang.gettext("no data")


def _time_to_resolve(data: stats.Metrics, lang: Lang) -> dict[str, markupsafe.Markup | str]:
    """The chart and the table of the median and 90th percentile time to resolve, by
    quarter (empty when no quarter has incidents)."""
    quarters = [q for q in data.quarters if q.count]
    if not quarters:
        return {"ttr_chart": "", "ttr_table": ""}
    _ = lang.gettext
    labels = [stats.quarter_label(q.key) for q in quarters]
    series = [
        (_("Median"), [stats.in_hours(q.ttr.median) for q in quarters]),
        (_("90th percentile"), [stats.in_hours(q.ttr.p90) for q in quarters]),
    ]

    def fmt(h: float) -> str:
        return lang.reunit(stats.format_duration(timedelta(hours=h)))

    title, unit = _("Time to resolve by quarter"), lang.unit_name("h")
    chart = charts.bar_chart(
        title,
        _("Median and 90th percentile time from start to resolution, per quarter"),
        labels,
        series,
        unit,
        chart_id="ttr-quarter",
        fmt=fmt,
    )
    table = charts.data_table(
        title, labels, series, unit, label_header=_("Quarter"), fmt=fmt, missing=_no_data(lang)
    )
    return {"ttr_chart": markupsafe.Markup(chart), "ttr_table": markupsafe.Markup(table)}


def _per_month(data: stats.Metrics, lang: Lang) -> dict[str, markupsafe.Markup | str]:
    """The chart and the table of incidents started each month, the last 24 months."""
    months = list(data.months[-24:])
    if not months:
        return {"month_chart": "", "month_table": ""}
    _ = lang.gettext
    # English keeps the charts' own unit words ('1 incident'); others say them through
    # the catalogue and the locale's unit names.
    unit = "incidents" if lang.is_source else _("incidents")
    fmt = None if lang.is_source else _incident_count(lang)
    series = [(_("Incidents"), list(data.per_month[-24:]))]
    title = _("Incidents per month")
    chart = charts.line_or_bar_by_month(
        title,
        _("Incidents started each month, last %(n)s months") % {"n": len(months)},
        months,
        series,
        unit,
        chart_id="per-month",
        fmt=fmt,
    )
    table = charts.data_table(
        title, months, series, unit, label_header=_("Month"), fmt=fmt, missing=_no_data(lang)
    )
    return {"month_chart": markupsafe.Markup(chart), "month_table": markupsafe.Markup(table)}


def _incident_count(lang: Lang) -> Callable[[float], str]:
    def count(v: float) -> str:
        return lang.ngettext("%(num)s incident", "%(num)s incidents", int(v)) % {
            "num": lang.number(int(v))
        }

    return count


def _excluded(data: stats.Metrics) -> dict[str, dict[str, list[str]]]:
    """The incidents each statistic leaves out, by reason."""
    excluded: dict[str, dict[str, list[str]]] = {}
    for stat in data.overall.stats:
        reasons: dict[str, list[str]] = {}
        for e in stat.excluded:
            reasons.setdefault(e.reason, []).append(e.incident_id)
        excluded[stat.label] = reasons
    return excluded
