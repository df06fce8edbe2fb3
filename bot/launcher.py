"""Start `rasa run` with the HTTP API token taken from RASA_TOKEN, never from the command line.

`python -m bot.launcher [rasa run options]` behaves like
`rasa run [options] --auth-token=$RASA_TOKEN`, but the token reaches Rasa's argument parser
inside this process: a command line is readable by every user of the machine (`ps`,
/proc/<pid>/cmdline), the environment only by the process owner.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import List, Optional

TOKEN_VARIABLE = "RASA_TOKEN"


class LaunchError(Exception):
    """The launcher was called in a way that would expose or drop the token."""


def rasa_run_arguments(options: List[str], token: str) -> List[str]:
    """The arguments of `rasa run`: the caller's options plus the token."""
    for option in options:
        if option == "-t" or option.startswith("--auth-token"):
            raise LaunchError(
                f"pass the API token in {TOKEN_VARIABLE}, not as {option.split('=')[0]}: "
                "a command line is visible to every user of the machine."
            )
    if "--enable-api" in options and not token:
        raise LaunchError(
            f"{TOKEN_VARIABLE} is empty: the HTTP API would accept anyone; "
            "run 'make setup' to generate var/secrets.env."
        )
    arguments = ["run", *options]
    if token:
        # `=`: a generated token may start with "-", which argparse would read as a flag.
        arguments.append(f"--auth-token={token}")
    return arguments


def hide_in_logs(token: str) -> None:
    """Replace the token in every log message of this process, whoever configures logging.

    Sanic logs the full URL of a request that failed, and Rasa's API takes the token as a
    `?token=` parameter.
    """
    if not token:
        return
    create_record = logging.getLogRecordFactory()

    def redacting_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = create_record(*args, **kwargs)
        message = record.getMessage()
        if token in message:
            record.msg, record.args = message.replace(token, "***"), None
        return record

    logging.setLogRecordFactory(redacting_record)


def main(argv: Optional[List[str]] = None) -> None:
    """Hand the arguments to Rasa's own command-line entry point in this process."""
    options = list(sys.argv[1:] if argv is None else argv)
    # Rasa needs the token only here; whatever Rasa starts later does not inherit it.
    token = os.environ.pop(TOKEN_VARIABLE, "")
    try:
        arguments = rasa_run_arguments(options, token)
    except LaunchError as error:
        sys.exit(f"bot.launcher: {error}")

    hide_in_logs(token)
    from rasa.__main__ import main as rasa_main

    # Rasa parses sys.argv; the kernel keeps reporting the original command line.
    sys.argv = ["rasa", *arguments]
    rasa_main()


if __name__ == "__main__":
    main()
