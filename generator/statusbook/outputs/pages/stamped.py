"""Every page placed at depth two (`kind/id/`): which there are, and each one from the render
store when it holds it, else rendered, by one worker process per core on large sites."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ... import workers
from . import entries, history, metrics, postmortems, status
from .render import Page, Renderer

Job = tuple[str, Any]


def page_jobs(r: Renderer) -> list[Job]:
    """Every page placed at depth two, in a fixed order, as (kind, what): small values a
    worker process can render from its own copy of the renderer."""
    now = r.view.now
    corpus = r.view.corpus
    years = sorted({row.year for row in postmortems.library_rows(r)}, reverse=True)
    return [
        *(("incident", i.id) for i in corpus.incidents if i.updates[0].at <= now),
        *(("maintenance", m.id) for m in corpus.maintenance),
        *(("component", c.id) for c in corpus.components),
        *(("month", month) for month in r.view.months),
        *(("postmortem", pm.id) for pm in corpus.postmortems),
        *(("year", y) for y in years),
        ("actions", None),
        ("metrics", None),
    ]


def render_job(r: Renderer, job: Job) -> Page:
    """The job's page, rendered (all_stamped_pages looks in the store first)."""
    kind, what = job
    if kind == "incident":
        return entries.incident_page(r, r.incidents[what])
    if kind == "maintenance":
        return entries.maintenance_page(r, r.maintenance[what])
    if kind == "component":
        return status.component_page(r, what)
    if kind == "month":
        return history.month_page(r, what)
    if kind == "postmortem":
        return postmortems.postmortem_page(r, r.postmortems[what])
    if kind == "year":
        return postmortems.postmortem_year_page(r, what)
    return postmortems.actions_page(r) if kind == "actions" else metrics.metrics_page(r)


def job_key(r: Renderer, job: Job) -> bytes | None:
    """The key to keep the job's page by in the store, or None when it is rendered on
    every build (it depends on the clock, or the site overrides its templates)."""
    kind, what = job
    if not r.pages_keepable:
        return None
    if kind == "incident":
        return entries.incident_key(r, r.incidents[what])
    if kind == "month":
        return history.month_key(r, what)
    if kind == "postmortem":
        return postmortems.postmortem_key(r, r.postmortems[what])
    return None


def all_stamped_pages(r: Renderer, jobs: list[Job] | None = None) -> list[Page]:
    """Every page placed at depth two (`kind/id/`), in page_jobs' order: from the store
    when it holds them, else rendered, by one worker process per core when there are
    many (each page is a pure function of the view, which the workers inherit when they
    fork), and then kept in the store when they can be. `jobs`: page_jobs(), if known."""
    jobs = page_jobs(r) if jobs is None else jobs
    keys = [job_key(r, job) for job in jobs]
    found = [r.store.get(key) if key is not None else None for key in keys]
    todo = [n for n, page in enumerate(found) if page is None]
    firsts: dict[str, int] = {}
    for n in todo:
        firsts.setdefault(jobs[n][0], n)
    # One page of each kind here first: the templates are compiled once, before the
    # workers fork, not once in every worker.
    for n in firsts.values():
        found[n] = render_job(r, jobs[n])
    rest = [n for n in todo if found[n] is None]
    postmortems.related_index(r)  # built once, before the fork, not in every worker
    results = workers.map_batches(
        _render_batch, [jobs[n] for n in rest], r, min_items=workers.MIN_PAGES
    )
    if results is None:  # few pages, one core, or no way to fork here
        for n in rest:
            found[n] = render_job(r, jobs[n])
    else:
        for n, (page, fresh, used) in zip(rest, results, strict=True):
            r.store.absorb(fresh, used)  # the Markdown the worker converted
            found[n] = page
    pages = [page for page in found if page is not None]
    assert len(pages) == len(jobs)
    for n in todo:
        key = keys[n]
        if key is not None:
            r.store.put(key, pages[n])
    return pages


def _render_batch(
    jobs: Sequence[Job], r: Renderer
) -> list[tuple[Page, dict[bytes, Any], set[bytes]]]:
    """In a worker: each job's page, with the Markdown it added to and used of the store."""
    out = []
    r.store.drain()
    for job in jobs:
        page = render_job(r, job)
        out.append((page, *r.store.drain()))
    return out
