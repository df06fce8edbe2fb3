"""Logs without customers' personal data: a handler filter that masks every record."""

from __future__ import annotations

import logging

from kit.personal_data import mask

# Loggers whose handlers get the filter besides the root's (uvicorn keeps its own handlers).
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


class MaskPersonalData(logging.Filter):
    """Masks e-mails, phone numbers, postcodes, ... in a record's message and its traceback.

    A handler filter sees every record the handler writes, from any logger; the message is
    formatted once here, so `%s` arguments (a customer's text in an SQL error) are masked too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops one."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


def install(extra_loggers: tuple[str, ...] = SERVER_LOGGERS) -> int:
    """Add the filter to every handler of the root logger and of `extra_loggers`, once each."""
    added = 0
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in extra_loggers)]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, MaskPersonalData) for f in handler.filters):
                handler.addFilter(MaskPersonalData())
                added += 1
    return added
