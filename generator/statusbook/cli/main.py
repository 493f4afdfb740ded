"""The `statusbook` command: a thin skin over the library and MkDocs, one module per command."""

from __future__ import annotations

import gc
from importlib import import_module

import click

from .. import __version__

#: Every command: name -> (module under statusbook.cli, the command in it, its short help in
#: full: the first sentence of its help, or its short_help). `statusbook --help` lists them
#: from here, so that it imports none of them; tests/test_cli.py checks each against the
#: command's own.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "build": ("build", "build", "Validate the content and build the site."),
    "cancel": ("cancel", "cancel", "Cancel a scheduled maintenance window."),
    "import": (
        "importing",
        "import_group",
        "Import components, incidents and maintenance from another status page.",
    ),
    "init": ("init", "init", "Create a new status site in DIRECTORY."),
    "lint": ("lint", "lint", "Flag wording that assigns blame in incidents and postmortems."),
    "list": ("status", "status_cmd", "Show active incidents, overdue updates and maintenance."),
    "new": ("new", "new", "Create an incident, a maintenance window or a postmortem draft."),
    "notify": (
        "notify",
        "notify",
        "Announce what a deploy published to the configured webhooks, once.",
    ),
    "reopen": ("reopen", "reopen", "Reopen a resolved incident: the problem is back."),
    "resolve": (
        "resolve",
        "resolve",
        "Resolve an incident: final update, components operational, resolved time set.",
    ),
    "schema": (
        "schema",
        "schema",
        "Print the JSON Schema of content files (all types, or one KIND).",
    ),
    "serve": (
        "serve",
        "serve",
        "Serve the site locally and rebuild when content changes (live reload).",
    ),
    "snapshot": (
        "snapshot",
        "snapshot",
        "Save the live site's api/statusbook/v1/state.json before a deploy.",
    ),
    "status": ("status", "status_cmd", "Show active incidents, overdue updates and maintenance."),
    "update": (
        "update",
        "update",
        "Post an update to an incident (ID: id or its unique start, date optional, or path).",
    ),
    "validate": (
        "validate",
        "validate",
        "Check every content file and report all problems at once, with the blameless-language "
        "lint's findings.",
    ),
}


class LazyGroup(click.Group):
    """The statusbook group: a command's module is imported only when that command runs or its
    own help is asked for, so `build` and `validate` never pay for the authoring, notify and
    import commands (50-70 ms of every run). Click's pattern for it:
    https://click.palletsprojects.com/en/stable/complex/#lazily-loading-subcommands"""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module, attribute, _ = entry
        command: click.Command = getattr(import_module(f"{__package__}.{module}"), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Each command's first sentence in full, as common.FullHelpGroup shows them.
        rows = [(name, text) for name, (_, _, text) in sorted(COMMANDS.items())]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="statusbook")
def main() -> None:
    """Status pages and postmortems from Markdown files in git.

    Run the commands from the site's root (the folder with mkdocs.yml), as with mkdocs.

    \b
    Example:
      statusbook init my-status && cd my-status
      statusbook validate
      statusbook serve
    """


def run() -> None:
    """The `statusbook` console script. Once the command is done, all it made is frozen out
    of the garbage collector's sight: the interpreter's last collection at exit would
    otherwise traverse every object still alive (0.2 s of a cold N=1,000 build). Objects in
    reference cycles then get no __del__ at exit: nothing here may rely on one."""
    try:
        main.main(prog_name="statusbook")
    finally:
        gc.freeze()


if __name__ == "__main__":
    run()
